"""Household and HouseholdMember: who lives with whom, in codes only. A member is a registered
person (any category) or a light entry (sex and birth year, no name). Leaving sets `left_at`:
rows are never deleted, so earlier members stay as history."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from icrs.core.enums import LabelledEnum, enum_column
from icrs.core.timeutil import today, utcnow
from icrs.core.vocab import Sex
from icrs.extensions import db

CURRENT = sa.text("left_at IS NULL")
CURRENT_HEAD = sa.text("relationship = 'head' AND left_at IS NULL")


class Relationship(LabelledEnum):
    """To the head of the household."""
    HEAD = "head", _l("Head of household")
    SPOUSE = "spouse", _l("Spouse or partner")
    CHILD = "child", _l("Child")
    PARENT = "parent", _l("Parent")
    SIBLING = "sibling", _l("Brother or sister")
    OTHER_DEPENDANT = "other_dependant", _l("Other dependant")


class LeftReason(LabelledEnum):
    MOVED_OUT = "moved_out", _l("Moved out")
    DECEASED = "deceased", _l("Deceased")
    OTHER = "other", _l("Other reason")
    ERASED = "erased", _l("Case erased")
    MERGED = "merged", _l("Case merged into another")
    HOUSEHOLD_ENDED = "household_ended", _l("Household ended (its head’s case was erased)")


# what a caseworker may choose when moving someone out; the others are the system's
CHOSEN_REASONS = (LeftReason.MOVED_OUT, LeftReason.DECEASED, LeftReason.OTHER)


class Household(db.Model):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the head's place when it was created: the household's scope
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), nullable=False, index=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), nullable=False)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)

    members = orm.relationship("HouseholdMember", back_populates="household",
                           order_by="HouseholdMember.id")

    @property
    def current_members(self):
        return [m for m in self.members if m.is_current]

    @property
    def earlier_members(self):
        return [m for m in self.members if not m.is_current]

    @property
    def head(self):
        return next((m for m in self.current_members if m.relationship == Relationship.HEAD),
                    None)


class HouseholdMember(db.Model):
    __tablename__ = "household_member"
    __table_args__ = (
        # a person belongs to at most one current household; a household has one current head
        sa.Index("ux_household_member_current_person", "person_id", unique=True,
                 postgresql_where=CURRENT, sqlite_where=CURRENT),
        sa.Index("ux_household_member_current_head", "household_id", unique=True,
                 postgresql_where=CURRENT_HEAD, sqlite_where=CURRENT_HEAD),
        sa.CheckConstraint("person_id IS NOT NULL OR (sex IS NOT NULL AND birth_year IS NOT NULL)",
                           name="household_member_light_entry"),
        sa.CheckConstraint("person_id IS NULL OR (sex IS NULL AND birth_year IS NULL)",
                           name="household_member_registered_from_case"),
        sa.CheckConstraint("relationship <> 'head' OR person_id IS NOT NULL",
                           name="household_member_head_registered"),
        sa.CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100",
                           name="household_member_birth_year"),
        sa.CheckConstraint("(left_at IS NULL) = (left_reason IS NULL)",
                           name="household_member_left_reason_iff_left"),
        sa.CheckConstraint("(left_at IS NULL) = (left_by_id IS NULL)",
                           name="household_member_left_by_iff_left"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"), nullable=False,
                                              index=True)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), index=True)
    relationship: Mapped[Relationship] = mapped_column(enum_column(Relationship),
                                                       nullable=False)
    lives_together: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    # light entries only (a registered member's come from the case)
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex))
    birth_year: Mapped[int | None] = mapped_column(sa.Integer)
    joined_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    joined_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    left_at = mapped_column(sa.DateTime)
    left_reason: Mapped[LeftReason | None] = mapped_column(enum_column(LeftReason))
    left_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    household = orm.relationship("Household", back_populates="members")
    person = orm.relationship("Person")

    @property
    def is_current(self):
        return self.left_at is None

    @property
    def is_light(self):
        return self.person_id is None

    @property
    def member_sex(self):
        return self.person.sex if self.person is not None else self.sex

    @property
    def member_birth_year(self):
        return self.person.birth_year if self.person is not None else self.birth_year

    @property
    def age(self):
        """Recomputed at each view from the birth year."""
        year = self.member_birth_year
        return None if year is None else today().year - year
