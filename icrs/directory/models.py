"""Service directory models aligned with Open Referral HSDS 3.0: organisation, service (the hub),
taxonomy and terms, API tokens. HSDS child records (locations, phones …) live in details.py."""
import uuid

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.auth.roles import Role
from icrs.core.enums import LabelledEnum, enum_column
from icrs.core.models import TimestampMixin, new_uuid
from icrs.core.timeutil import utcnow
from icrs.directory.vocab import PersonCategory, ReferralMethod, ServiceStatus, Sex
from icrs.extensions import db


class OrganisationType(LabelledEnum):
    GOVERNMENT = "government", _l("Government")
    UN = "un", _l("UN agency")
    NGO = "ngo", _l("NGO")
    CBO = "cbo", _l("Community-based organisation")
    PRIVATE = "private", _l("Private sector")
    TRAINING_CENTRE = "training_centre", _l("Training centre")
    HEALTH = "health", _l("Health facility")


organisation_region = sa.Table(
    "organisation_region",
    db.metadata,
    sa.Column("organisation_id", sa.Uuid, sa.ForeignKey("organisation.id"), primary_key=True),
    sa.Column("region_id", sa.Integer, sa.ForeignKey("region.id"), primary_key=True),
)
service_region = sa.Table(
    "service_region",
    db.metadata,
    sa.Column("service_id", sa.Uuid, sa.ForeignKey("service.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("region_id", sa.Integer, sa.ForeignKey("region.id"), primary_key=True),
)
service_site = sa.Table(
    "service_site",
    db.metadata,
    sa.Column("service_id", sa.Uuid, sa.ForeignKey("service.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id"), primary_key=True),
)


def _is_admin(user):
    return user is not None and user.is_authenticated and user.role == Role.ADMIN


class Organisation(TimestampMixin, db.Model):
    """HSDS `organization`: a ministry, UN agency, NGO, training centre or clinic."""

    __tablename__ = "organisation"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    type: Mapped[OrganisationType] = mapped_column(
        enum_column(OrganisationType), nullable=False, default=OrganisationType.NGO
    )
    alternate_name: Mapped[str | None] = mapped_column(sa.String(200))
    # The name in each interface language where it differs (IOM / OIM); `name` otherwise.
    name_fr: Mapped[str | None] = mapped_column(sa.String(200))
    name_en: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    regions = db.relationship("Region", secondary=organisation_region, order_by="Region.code")
    services = relationship("Service", back_populates="organisation", order_by="Service.name")
    locations = relationship("Location", back_populates="organisation",
                             cascade="all, delete-orphan", order_by="Location.name")
    phones = relationship("Phone", back_populates="organisation", cascade="all, delete-orphan",
                          order_by="Phone.number")

    def can_edit(self, user):
        return _is_admin(user)

    @staticmethod
    def can_create(user):
        return _is_admin(user)

    @property
    def display_name(self):
        """The name in the reader's language (OIM on French pages, IOM on English ones)."""
        local = self.name_en if str(get_locale() or "fr").startswith("en") else self.name_fr
        return local or self.name

    def __str__(self):
        return self.display_name


class Taxonomy(db.Model):
    """HSDS `taxonomy`: a vocabulary (ICRS service categories, person categories …)."""

    __tablename__ = "taxonomy"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    uri: Mapped[str | None] = mapped_column(sa.String(300))
    version: Mapped[str | None] = mapped_column(sa.String(32))
    terms = relationship("TaxonomyTerm", back_populates="taxonomy",
                         order_by="TaxonomyTerm.position")


class TaxonomyTerm(db.Model):
    """HSDS `taxonomy_term`, bilingual. `code` is stable: consent and matching refer to it."""

    __tablename__ = "taxonomy_term"
    __table_args__ = (sa.UniqueConstraint("taxonomy_id", "code", name="taxonomy_code"),)
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    taxonomy_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("taxonomy.id"), nullable=False,
                                                   index=True)
    code: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    name_fr: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description_fr: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    parent_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("taxonomy_term.id"))
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    # Retired (service categories, icrs.lookups): kept on old services, referrals and exports,
    # no longer given to new ones. Terms are never deleted, so a code is never given twice.
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    taxonomy = relationship("Taxonomy", back_populates="terms")

    # The shape of a list entry (icrs.lookups.stores): a description that only repeated the
    # name follows it when the name changes.
    @property
    def label_fr(self):
        return self.name_fr

    @label_fr.setter
    def label_fr(self, value):
        if self.description_fr in ("", self.name_fr):
            self.description_fr = value
        self.name_fr = value

    @property
    def label_en(self):
        return self.name_en

    @label_en.setter
    def label_en(self, value):
        if self.description_en in ("", self.name_en):
            self.description_en = value
        self.name_en = value

    @property
    def name(self):
        return self.name_en if str(get_locale() or "fr").startswith("en") else self.name_fr

    def __str__(self):
        return self.name


class Service(TimestampMixin, db.Model):
    """HSDS `service` plus what DDR referral needs: eligibility, areas, capacity, referral route."""

    __tablename__ = "service"
    __table_args__ = (
        sa.CheckConstraint("minimum_age IS NULL OR maximum_age IS NULL "
                           "OR minimum_age <= maximum_age", name="age_range"),
        sa.CheckConstraint("open_slots IS NULL OR open_slots >= 0", name="open_slots_positive"),
        sa.CheckConstraint("serves_female OR serves_male", name="serves_a_sex"),
    )
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    organisation_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("organisation.id"),
                                                       nullable=False, index=True)
    category_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("taxonomy_term.id"),
                                                   nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    alternate_name: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    url: Mapped[str | None] = mapped_column(sa.String(300))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    status: Mapped[ServiceStatus] = mapped_column(enum_column(ServiceStatus), nullable=False,
                                                  default=ServiceStatus.ACTIVE, index=True)
    alert: Mapped[str | None] = mapped_column(sa.Text)
    interpretation_services: Mapped[str | None] = mapped_column(sa.Text)
    application_process: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    fees_description: Mapped[str | None] = mapped_column(sa.Text)
    eligibility_description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    minimum_age: Mapped[int | None] = mapped_column(sa.Integer)
    maximum_age: Mapped[int | None] = mapped_column(sa.Integer)
    serves_female: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    serves_male: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    open_slots: Mapped[int | None] = mapped_column(sa.Integer)
    referral_method: Mapped[ReferralMethod] = mapped_column(
        enum_column(ReferralMethod), nullable=False, default=ReferralMethod.ICRS)
    response_time_hours: Mapped[int | None] = mapped_column(sa.Integer)
    assured_date = mapped_column(sa.Date)  # last verified
    assurer_email: Mapped[str | None] = mapped_column(sa.String(254))

    organisation = relationship("Organisation", back_populates="services")
    category = relationship("TaxonomyTerm")
    regions = relationship("Region", secondary=service_region, order_by="Region.code")
    sites = relationship("Site", secondary=service_site, order_by="Site.code")
    eligible_categories = relationship("ServiceEligibleCategory", cascade="all, delete-orphan",
                                       order_by="ServiceEligibleCategory.category")
    languages = relationship("ServiceLanguage", cascade="all, delete-orphan",
                             order_by="ServiceLanguage.code")
    phones = relationship("Phone", back_populates="service", cascade="all, delete-orphan",
                          order_by="Phone.number")
    contacts = relationship("Contact", cascade="all, delete-orphan", order_by="Contact.name")
    schedules = relationship("Schedule", cascade="all, delete-orphan", order_by="Schedule.byday")
    cost_options = relationship("CostOption", cascade="all, delete-orphan",
                                order_by="CostOption.option")
    required_documents = relationship("RequiredDocument", cascade="all, delete-orphan",
                                      order_by="RequiredDocument.document")
    service_at_locations = relationship("ServiceAtLocation", back_populates="service",
                                        cascade="all, delete-orphan",
                                        order_by="ServiceAtLocation.id")

    # --- eligibility as plain values -----------------------------------------------------------
    @property
    def sexes(self):
        return [s for s, on in ((Sex.FEMALE, self.serves_female), (Sex.MALE, self.serves_male))
                if on]

    @property
    def categories(self):
        chosen = {PersonCategory(c.category) for c in self.eligible_categories}
        return [c for c in PersonCategory if c in chosen]

    def set_categories(self, categories):
        wanted = [PersonCategory(c) for c in categories]
        self.eligible_categories = [ServiceEligibleCategory(category=c) for c in wanted]

    @property
    def is_active(self):
        return self.status == ServiceStatus.ACTIVE and self.organisation.active

    # --- permissions ---------------------------------------------------------------------------
    def can_edit(self, user):
        if _is_admin(user):
            return True
        return (user is not None and user.is_authenticated and user.role == Role.PROVIDER
                and user.organisation_id == self.organisation_id)

    @staticmethod
    def can_create(user):
        return _is_admin(user)

    def __str__(self):
        return self.name


class ServiceEligibleCategory(db.Model):
    """A person category the service accepts (at least one row per service)."""

    __tablename__ = "service_eligible_category"
    service_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[PersonCategory] = mapped_column(enum_column(PersonCategory),
                                                     primary_key=True)


class ApiToken(db.Model):
    """A bearer token for the HSDS API. Only its SHA-256 is kept; the token is shown once."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    last_used_at = mapped_column(sa.DateTime)
    revoked: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    revoked_at = mapped_column(sa.DateTime)
    created_by = relationship("User")


from icrs.directory.details import (  # noqa: E402,F401 - register the HSDS child tables
    Contact,
    CostOption,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    ServiceAtLocation,
    ServiceLanguage,
)
