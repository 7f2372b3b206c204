"""Read-only rendering of stored answers: codes become their labels, lists are joined."""
from wtforms import SelectFieldBase

from icrs.profiling.queries import changed_questions


def display_answers(section, answers, previous=None) -> list[dict]:
    """[{label, text, changed}] in the form's order; `previous` marks changed questions."""
    form = section.make_form(formdata=None, data=answers or {}, meta={"csrf": False})
    changed = changed_questions(answers or {}, previous) if previous is not None else set()
    return [{"name": f.name, "label": f.label.text, "text": _text(f, (answers or {}).get(f.name)),
             "changed": f.name in changed} for f in form.question_fields()]


def _text(field, value):
    if value in (None, "", []):
        return ""
    if isinstance(field, SelectFieldBase):
        labels = {str(code): label for code, label in field.choices}
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    return str(value)
