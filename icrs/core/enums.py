"""Enums whose members carry a translatable label, stored in the database by value."""
import enum

import sqlalchemy as sa


class LabelledEnum(enum.StrEnum):
    """`str` enum; subclasses define `_labels = {member_value: lazy_gettext(...)}` via labels()."""

    @classmethod
    def choices(cls):
        return [(m.value, m.label) for m in cls]

    @property
    def label(self):
        return self._label_map().get(self.value, self.value)

    @classmethod
    def _label_map(cls):
        return getattr(cls, "__labels__", {})

    def __str__(self):
        return self.value


def with_labels(enum_cls, labels):
    """Attach labels after class creation (Enum forbids non-member class attributes)."""
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
