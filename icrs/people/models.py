"""Person (an ex-associate or a community member), consent, stage history, notes, follow-ups,
duplicate decisions.
(The reintegration plan is icrs.plans.)

Identity fields are encrypted under the person's data key; coarse analytic fields (sex, birth year,
category, region, languages) stay plain for dashboards and matching.
"""
import datetime as dt
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.auth.roles import Role
from icrs.core.enums import LabelledEnum, enum_column, with_labels
from icrs.core.models import new_uuid
from icrs.core.timeutil import age_on, today, utcnow
from icrs.core.vocab import PersonCategory, Sex
from icrs.crypto import encrypted_column
from icrs.extensions import db
from icrs.people import (
    need_to_know,
    vocabularies,  # noqa: F401 - registers the lists the models name
)
from icrs.people.consent_givers import CaregiverRelationship, ConsentGiver  # noqa: F401
from icrs.people.kinds import BeneficiaryKind
from icrs.people.outcomes import (
    WHO5_ITEMS,
    Activity,
    Housing,
    IncomeBand,
    Safety,
    StillRunning,
    VisitType,
)
from icrs.people.states import ACTIVE, CLOSED, Stage


def _sql_list(stages):
    return ", ".join(f"'{s.value}'" for s in stages)


# A closed case (suspended, exited, reintegrated) remembers the active stage to return to;
# an active case remembers none (migration 0007_h1 writes the same text).
STAGE_BEFORE_IFF_CLOSED = (
    # "IS NOT NULL" first: `NULL IN (...)` is unknown, and a CHECK lets unknown pass
    f"(stage IN ({_sql_list(CLOSED)}) AND stage_before IS NOT NULL "
    f"AND stage_before IN ({_sql_list(ACTIVE)})) "
    f"OR (stage NOT IN ({_sql_list(CLOSED)}) AND stage_before IS NULL)")


class Person(db.Model):
    __tablename__ = "person"
    __crypto_owner__ = "id"
    __table_args__ = (
        sa.Index("ix_person_site_stage", "site_id", "stage"),
        sa.Index("ix_person_region_stage", "region_id", "stage"),
        # people list of a site / a region, newest first
        sa.Index("ix_person_site_registered", "site_id", "registered_at"),
        sa.Index("ix_person_region_registered", "region_id", "registered_at"),
        # staff referral lists join a site's people: answered from the index alone
        sa.Index("ix_person_site_erased", "site_id", "erased_at", "id", "caseworker_id"),
        sa.Index("ix_person_erased", "erased_at", "id"),  # the few erased, for NOT IN
        # dashboard (covering): registrations in a period, the dimensions of a joined person,
        # caseload per caseworker
        sa.Index("ix_person_dashboard", "registered_at", "stage", "sex", "category",
                 "birth_year", "region_id", "site_id"),
        sa.Index("ix_person_dims", "id", "sex", "category", "birth_year", "region_id",
                 "site_id", "erased_at"),
        sa.Index("ix_person_caseload", "caseworker_id", "stage", "sex", "category",
                 "birth_year", "region_id", "site_id"),
        sa.CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100",
                           name="birth_year_range"),
        sa.CheckConstraint(STAGE_BEFORE_IFF_CLOSED, name="stage_before_iff_closed"),
        # a merged case is a tombstone pointing at the case that survived (icrs.people.merge)
        sa.CheckConstraint("(merged_into_id IS NULL) = (merged_at IS NULL)",
                           name="merged_at_iff_merged"),
        sa.CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id",
                           name="not_merged_into_itself"),
        # a community member has a community category, an ex-associate none (icrs.people.kinds)
        sa.CheckConstraint("(beneficiary_kind = 'community_member') = "
                           "(community_category IS NOT NULL)",
                           name="community_category_iff_member"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    case_number: Mapped[str] = mapped_column(sa.String(24), unique=True, nullable=False)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), nullable=False)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), nullable=False)
    caseworker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"),
                                                      index=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), nullable=False,
                                         default=Stage.REGISTERED)
    stage_before: Mapped[Stage | None] = mapped_column(enum_column(Stage, name="stage_before"))
    stage_changed_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    registered_at = mapped_column(sa.DateTime, nullable=False, default=utcnow, index=True)
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    reintegration_requested_at = mapped_column(sa.DateTime)

    # plain, coarse fields for reports and matching
    sex: Mapped[Sex] = mapped_column(enum_column(Sex), nullable=False)
    birth_year: Mapped[int | None] = mapped_column(sa.Integer)
    birth_date_estimated: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    category: Mapped[PersonCategory] = mapped_column(enum_column(PersonCategory), nullable=False)
    languages: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    # ex-associate or community member (icrs.people.kinds), and a community member's category
    beneficiary_kind: Mapped[BeneficiaryKind] = mapped_column(
        enum_column(BeneficiaryKind, 24), nullable=False, default=BeneficiaryKind.EX_ASSOCIATE,
        server_default=BeneficiaryKind.EX_ASSOCIATE.value)
    community_category: Mapped[str | None] = mapped_column(sa.String(32))
    consent_withdrawn_at = mapped_column(sa.DateTime)  # last withdrawal, for the dashboard
    erased_at = mapped_column(sa.DateTime)
    merged_into_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), index=True)
    merged_at = mapped_column(sa.DateTime)

    # encrypted identity
    first_name = encrypted_column(str)
    last_name = encrypted_column(str)
    other_names = encrypted_column(str)
    birth_date = encrypted_column(dt.date)
    phone = encrypted_column(str)
    id_number = encrypted_column(str)
    address = encrypted_column(str)
    caregiver_name = encrypted_column(str)
    caregiver_phone = encrypted_column(str)

    # blind indexes (truncated HMACs: candidates, confirmed after decryption)
    id_number_bidx: Mapped[int | None] = mapped_column(sa.BigInteger, index=True)
    phone_bidx: Mapped[int | None] = mapped_column(sa.BigInteger, index=True)
    name_year_bidx: Mapped[int | None] = mapped_column(sa.BigInteger, index=True)
    name_bidx: Mapped[int | None] = mapped_column(sa.BigInteger, index=True)

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    site = relationship("Site")
    region = relationship("Region")
    caseworker = relationship("User", foreign_keys=[caseworker_id])
    registered_by = relationship("User", foreign_keys=[registered_by_id])
    merged_into = relationship("Person", remote_side=[id], foreign_keys=[merged_into_id])


    # --- derived -------------------------------------------------------------------------------
    @property
    def is_erased(self):
        return self.erased_at is not None

    @property
    def is_merged(self):
        return self.merged_into_id is not None

    @property
    def age(self):
        """Age in whole years from the (decrypted) birth date, else from the birth year."""
        if self.birth_year is None:
            return None
        return today().year - self.birth_year

    def exact_age(self):
        return age_on(self.birth_date, today()) if self.birth_date else self.age

    @property
    def is_minor(self):
        """Under 18 today: from the birth date when known, else the birth year (recomputed at
        each call, so a child turns adult on the day without any job)."""
        age = self.exact_age()
        return age is not None and age < 18

    @property
    def is_community_member(self):
        return self.beneficiary_kind == BeneficiaryKind.COMMUNITY_MEMBER

    @property
    def display_name(self):
        return f"{self.first_name or ''} {self.last_name or ''}".strip()

    # --- access (need-to-know) ------------------------------------------------------------------
    def can_view(self, user):
        return user.scope.covers(self)

    def can_edit(self, user):
        """Caseworkers edit the cases assigned to them; the rest of their site is read-only."""
        return (user.role == Role.CASEWORKER and self.can_view(user)
                and self.caseworker_id == user.id and not self.is_erased)

    def can_supervise(self, user):
        return user.role == Role.SUPERVISOR and self.can_view(user)

    def can_view_sensitive(self, user):
        """Need-to-know (icrs.people.need_to_know): assigned caseworker, the area's
        supervisors, or an unexpired break-glass grant."""
        return need_to_know.may_read_sensitive(user, self)

    def can_break_glass(self, user):
        return need_to_know.may_break_glass(user, self)

    def can_withdraw_consent(self, user):
        """The assigned caseworker or a supervisor of the case (the service and the page)."""
        return not self.is_erased and (self.can_edit(user) or self.can_supervise(user))


NAME_KEY_KINDS = ("token", "phonetic")


class PersonNameKey(db.Model):
    """Blind indexes of a person's name tokens (first name, each part of the last name, each
    alias): a keyed HMAC of the folded token ("token") and of its phonetic key ("phonetic"),
    truncated to 32 bits; never a name. Rewritten on every identity change, deleted at erasure."""

    __tablename__ = "person_name_key"
    __table_args__ = (
        sa.Index("ix_person_name_key_kind_value", "kind", "value", "person_id"),
        sa.CheckConstraint("kind IN ('token', 'phonetic')", name="name_key_kind"),
    )
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    value: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    # one-way: lets a batch flush insert the new person before its keys
    person = relationship("Person", lazy="raise")


class ConsentPurpose(LabelledEnum):
    REGISTRATION = "registration"
    STORAGE = "storage"
    SHARING = "sharing"
    REPORTING = "reporting"


with_labels(ConsentPurpose, {
    "registration": _l("Registration and case management"),
    "storage": _l("Storage of personal data"),
    "sharing": _l("Sharing with service providers"),
    "reporting": _l("Anonymised reporting"),
})


class ConsentMethod(LabelledEnum):
    SIGNED = "signed"
    THUMBPRINT = "thumbprint"
    VERBAL_WITNESSED = "verbal_witnessed"


with_labels(ConsentMethod, {"signed": _l("Signed"), "thumbprint": _l("Thumbprint"),
                            "verbal_witnessed": _l("Verbal, witnessed")})


class ConsentText(db.Model):
    """One version of the text read to a person before consent for a purpose, in French and
    English. A draft may be edited; once published it never changes (consents point at it)."""

    __tablename__ = "consent_text"
    __table_args__ = (sa.UniqueConstraint("purpose", "version", name="uq_consent_text_version"),
                      sa.CheckConstraint("version >= 1", name="version_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(enum_column(ConsentPurpose), nullable=False)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    text_fr: Mapped[str] = mapped_column(sa.Text, nullable=False)
    text_en: Mapped[str] = mapped_column(sa.Text, nullable=False)
    requires_reconsent: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False,
                                                     server_default=sa.false())
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    published_at = mapped_column(sa.DateTime)

    created_by = relationship("User")

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def text_for(self, locale) -> str:
        return self.text_fr if str(locale or "fr").startswith("fr") else self.text_en


class Consent(db.Model):
    """One consent per purpose (and per service category for sharing); withdrawal is a timestamp."""

    __tablename__ = "consent"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.Index("ix_consent_person_purpose", "person_id", "purpose"),
        sa.Index("ix_consent_withdrawn", "withdrawn_at", "person_id", "purpose"),  # dashboard
        sa.CheckConstraint("NOT for_referral OR (purpose = 'sharing' AND shared_fields IS "
                           "NOT NULL)", name="referral_consent_is_sharing"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False)
    purpose: Mapped[ConsentPurpose] = mapped_column(enum_column(ConsentPurpose), nullable=False)
    service_category: Mapped[str | None] = mapped_column(sa.String(48))
    text_version: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    method: Mapped[ConsentMethod] = mapped_column(enum_column(ConsentMethod), nullable=False)
    witness_name = encrypted_column(str)
    # who gave it (icrs.people.services.consent: which givers count depends on the age today)
    given_by: Mapped[ConsentGiver] = mapped_column(
        enum_column(ConsentGiver, length=16), nullable=False, default=ConsentGiver.SELF,
        server_default=ConsentGiver.SELF.value)
    caregiver_relationship = encrypted_column(str)  # a CaregiverRelationship code
    caregiver_name = encrypted_column(str)
    given_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    withdrawn_at = mapped_column(sa.DateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    # The text read to the person (None only for rows written outside the service, e.g. bulk
    # loads); a renewed consent points at the one that replaced it (and is closed, not withdrawn).
    text_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consent_text.id"), index=True)
    superseded_by_id = mapped_column(sa.Uuid, sa.ForeignKey("consent.id"))

    # Sharing consent given for one referral only (GBV, MHPSS: the referrals domain asks it): the
    # referral points at it (Referral.consent_id); it never counts for the whole category. It
    # keeps the field names and the very packet read to the person.
    for_referral: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False,
                                               server_default=sa.false())
    shared_fields: Mapped[list | None] = mapped_column(sa.JSON(none_as_null=True))
    shared_packet = encrypted_column("json")

    person = relationship("Person")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])
    text = relationship("ConsentText")


    @property
    def active(self):
        return self.withdrawn_at is None


class StageChange(db.Model):
    __tablename__ = "stage_change"
    __table_args__ = (
        # dashboard exits: the exits of a period, read before their people (not the reverse)
        sa.Index("ix_stage_change_to_stage_at", "to_stage", "at", "person_id", "reason"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    from_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage, name="from_stage"))
    to_stage: Mapped[Stage] = mapped_column(enum_column(Stage, name="to_stage"), nullable=False)
    at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    reason: Mapped[str | None] = mapped_column(sa.String(32))
    actor = relationship("User")
    person = relationship("Person")  # inserted after its person in a batched flush


class NoteKind(LabelledEnum):
    NOTE = "note"
    COUNSELLING = "counselling"


with_labels(NoteKind, {"note": _l("Case note"), "counselling": _l("Counselling session")})


class Note(db.Model):
    __tablename__ = "note"
    __crypto_owner__ = "person_id"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    kind: Mapped[NoteKind] = mapped_column(enum_column(NoteKind), nullable=False)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    text = encrypted_column(str)
    author = relationship("User")



WHO5_COLUMNS = tuple(name for name, _ in WHO5_ITEMS)


class FollowUp(db.Model):
    __tablename__ = "follow_up"
    __crypto_owner__ = "person_id"
    # person_id makes the overdue counts an index-only read (20,000 overdue: 64 -> 28 ms)
    __table_args__ = (
        sa.Index("ix_follow_up_open_due_person", "done_at", "due_date", "person_id"),
        # a scheduled follow-up is made once per (event, offset): re-running adds nothing
        sa.UniqueConstraint("person_id", "source_kind", "source_id", "offset_months",
                            name="uq_follow_up_source"),
        sa.CheckConstraint("(source_kind IS NULL) = (source_id IS NULL)",
                           name="source_pair"),
        sa.CheckConstraint("family_acceptance IS NULL OR family_acceptance BETWEEN 1 AND 4",
                           name="family_acceptance_range"),
        sa.CheckConstraint("community_acceptance IS NULL OR community_acceptance BETWEEN 1 AND 4",
                           name="community_acceptance_range"),
        *(sa.CheckConstraint(f"{name} IS NULL OR {name} BETWEEN 0 AND 5",
                             name=f"{name}_range") for name in WHO5_COLUMNS),
    )
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    due_date: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    purpose = encrypted_column(str)  # free text: may say anything about the person
    assigned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    done_at = mapped_column(sa.DateTime)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    outcome = encrypted_column(str)
    # automatic scheduling (icrs.people.follow_ups): which event made it, how many months after
    source_kind: Mapped[str | None] = mapped_column(sa.String(24))
    source_id: Mapped[str | None] = mapped_column(sa.String(36))
    offset_months: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # the structured visit (icrs.people.outcomes): plain codes, coarse and non-identifying,
    # needed in aggregates; rows recorded before them have only the free-text outcome
    visit_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    # the version of the visit form (icrs.field.versions) the visit was answered on
    form_version: Mapped[str | None] = mapped_column(sa.String(64))
    visit_type = mapped_column(enum_column(VisitType, 16))
    activity = mapped_column(enum_column(Activity, 16))
    income_band = mapped_column(enum_column(IncomeBand, 16))
    business_running = mapped_column(enum_column(StillRunning, 8))
    housing = mapped_column(enum_column(Housing, 16))
    family_acceptance: Mapped[int | None] = mapped_column(sa.SmallInteger)
    community_acceptance: Mapped[int | None] = mapped_column(sa.SmallInteger)
    safety = mapped_column(enum_column(Safety, 16))
    who5_cheerful: Mapped[int | None] = mapped_column(sa.SmallInteger)
    who5_calm: Mapped[int | None] = mapped_column(sa.SmallInteger)
    who5_active: Mapped[int | None] = mapped_column(sa.SmallInteger)
    who5_rested: Mapped[int | None] = mapped_column(sa.SmallInteger)
    who5_interest: Mapped[int | None] = mapped_column(sa.SmallInteger)
    person = relationship("Person")
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])

    @property
    def is_structured(self):
        return self.visit_type is not None

    @property
    def who5_raw(self):
        values = [getattr(self, name) for name in WHO5_COLUMNS]
        return None if None in values else sum(values)

    @property
    def who5_percent(self):
        raw = self.who5_raw
        return None if raw is None else raw * 4


    @property
    def is_overdue(self):
        return self.done_at is None and self.due_date < today()


class DuplicateDecision(db.Model):
    """A caseworker looked at a possible duplicate and confirmed the new person is someone else."""

    __tablename__ = "duplicate_decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    candidate_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    decided_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)


class CaseCounter(db.Model):
    """Next case number per site and year; incremented under a row lock."""

    __tablename__ = "case_counter"
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)


class ImportTemplate(db.Model):
    """A saved column mapping of the caseload import: file column name -> ICRS field (or "")."""

    __tablename__ = "import_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True, nullable=False)
    mapping: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    updated_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)


class SustainabilityBaseline(db.Model):
    """The first profile's answers mapped onto a follow-up's coded items (icrs.people.
    sustainability), kept plain so that the dashboard compares without decrypting profiles.
    None where the profile does not ask the item."""

    __tablename__ = "sustainability_baseline"
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), primary_key=True)
    # no foreign key: profiling sits above people; the version it was read from, for the record
    profile_version_id = mapped_column(sa.Uuid, nullable=False)
    computed_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    activity = mapped_column(enum_column(Activity, 16))
    income_band = mapped_column(enum_column(IncomeBand, 16))
    business_running = mapped_column(enum_column(StillRunning, 8))
    housing = mapped_column(enum_column(Housing, 16))
    family_acceptance: Mapped[int | None] = mapped_column(sa.SmallInteger)
    community_acceptance: Mapped[int | None] = mapped_column(sa.SmallInteger)
    safety = mapped_column(enum_column(Safety, 16))
    who5_raw: Mapped[int | None] = mapped_column(sa.SmallInteger)  # the profile has no WHO-5
