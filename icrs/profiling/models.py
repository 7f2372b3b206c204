"""Profile storage: one draft per person (the working copy, optimistic-locked), submitted
versions, and one encrypted answer blob per section of either.

Plain columns hold only codes and counts (for matching, dashboards and the completeness
indicator); everything the person said sits in `ProfileSection.answers`, encrypted.
"""
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.models import new_uuid
from icrs.core.timeutil import utcnow
from icrs.crypto import encrypted_column
from icrs.extensions import db


class ProfileDraft(db.Model):
    """The person's working copy. Every section save bumps `version`; a form carrying an older
    version is refused (two caseworkers, or two tabs, editing at once)."""

    __tablename__ = "profile_draft"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, unique=True)
    # saved since the last submission (else the draft equals the latest version)
    dirty: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    updated_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    updated_by = relationship("User")
    sections = relationship("ProfileSection", back_populates="draft",
                            foreign_keys="ProfileSection.draft_id",
                            cascade="all, delete-orphan")


class ProfileVersion(db.Model):
    """A submitted profile. Coded answers are copied here, plain, for matching and dashboards;
    `is_current` marks the latest version of each person. The vulnerability flags are encrypted
    under the person's data key: they say GBV, pregnancy, threats, and are never aggregated."""

    __tablename__ = "profile_version"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "number", name="uq_profile_version_number"),
        sa.Index("ix_profile_version_current", "is_current", "person_id"),
        sa.CheckConstraint("number >= 1", name="profile_version_number_positive"),
        sa.CheckConstraint("household_size IS NULL OR household_size BETWEEN 1 AND 50",
                           name="profile_household_size_range"),
    )
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    submitted_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    changed_sections: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    complete: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    is_current: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)

    # coded answers (never free text)
    household_size: Mapped[int | None] = mapped_column(sa.Integer)
    dependants_count: Mapped[int | None] = mapped_column(sa.Integer)
    education_level: Mapped[str | None] = mapped_column(sa.String(24))
    literacy: Mapped[str | None] = mapped_column(sa.String(16))
    service_language: Mapped[str | None] = mapped_column(sa.String(8))
    skills: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    has_income: Mapped[bool | None] = mapped_column(sa.Boolean)
    # a code of the "pathway" list (icrs.people.vocabularies)
    preferred_option: Mapped[str | None] = mapped_column(sa.String(32))
    vulnerability_flags = encrypted_column("json")  # flag codes (list), only ever displayed

    submitted_by = relationship("User")
    sections = relationship("ProfileSection", back_populates="version",
                            foreign_keys="ProfileSection.version_id",
                            cascade="all, delete-orphan")


class ProfileSection(db.Model):
    """One section's answers, encrypted as one JSON blob, belonging to a draft or a version."""

    __tablename__ = "profile_section"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.UniqueConstraint("draft_id", "section", name="uq_profile_section_draft"),
        sa.UniqueConstraint("version_id", "section", name="uq_profile_section_version"),
        sa.CheckConstraint("(draft_id IS NULL) <> (version_id IS NULL)",
                           name="profile_section_one_parent"),
    )
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    draft_id = mapped_column(sa.Uuid, sa.ForeignKey("profile_draft.id"), index=True)
    version_id = mapped_column(sa.Uuid, sa.ForeignKey("profile_version.id"), index=True)
    section: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    answers = encrypted_column(dict)
    # completeness, plain so that overviews need not decrypt anything
    answered: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    missing: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    saved_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    draft = relationship("ProfileDraft", back_populates="sections", foreign_keys=[draft_id])
    version = relationship("ProfileVersion", back_populates="sections",
                           foreign_keys=[version_id])
    saved_by = relationship("User")

    def crypto_owner_id(self):
        return self.person_id

    @property
    def complete(self):
        return not self.missing
