"""Enums whose members carry a translatable label, stored in the database by value."""
import enum

import sqlalchemy as sa


class LabelledEnum(enum.StrEnum):
    """`str` enum whose members carry their label: `DRAFT = "draft", _l("Draft")`."""

    def __new__(cls, value, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label_ = label
        return member

    @classmethod
    def choices(cls):
        return [(m.value, m.label) for m in cls]

    @property
    def label(self):
        return self._label_ or self._label_map().get(self.value, self.value)

    @classmethod
    def _label_map(cls):
        """{value: label}: the members' own labels, else those attached by with_labels."""
        return {**getattr(cls, "__labels__", {}),
                **{m.value: m._label_ for m in cls if m._label_ is not None}}

    def __str__(self):
        return self.value


def with_labels(enum_cls, labels):
    """Attach labels after class creation (for enums not yet labelled in their members)."""
    enum_cls.__labels__ = labels
    return enum_cls


def enum_column(enum_cls, length=32, **kwargs):
    """A VARCHAR column with a CHECK constraint listing the enum's values."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        create_constraint=True,
        name=kwargs.pop("name", enum_cls.__name__.lower()),
        **kwargs,
    )
