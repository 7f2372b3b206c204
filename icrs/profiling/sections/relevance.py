"""When a question applies to the person, from the plain coarse fields (sex, age): a question
that does not apply is neither shown nor required, and an answer to it is not stored."""


def _sex(person):
    return getattr(person.sex, "value", person.sex)


def can_be_pregnant(person):
    """Women and girls of childbearing age (unknown age: asked)."""
    return _sex(person) == "female" and (person.age is None or 10 <= person.age <= 55)


def is_minor(person):
    """Questions about a child's situation (unknown age: asked)."""
    return person.age is None or person.age < 18
