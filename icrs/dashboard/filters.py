"""The resolved filter set of a dashboard request, bounded by the user's scope.

A regional supervisor is pinned to their region: asking for another region, or for a site outside
it, raises OutOfScope (the view answers 403) rather than silently showing something else.
"""
import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l

from icrs.core.errors import AccessDenied
from icrs.core.fields import safe_int
from icrs.core.models import Site
from icrs.core.timeutil import today
from icrs.core.vocab import DEFAULT_AGE_BANDS
from icrs.extensions import db
from icrs.people.models import Person


class OutOfScope(AccessDenied):
    """A filter names a place the user may not see (the app answers 403)."""

    def __init__(self):
        super().__init__(_l("Your role or scope does not allow this page. Ask a supervisor if "
                            "you need access."))


@dataclass(frozen=True)
class PersonColumns:
    """Where a query finds a person's dimensions: on person itself, or copied on a fact row
    such as the referral (icrs.referrals.dimensions), which spares the join."""
    region_id: object
    site_id: object
    sex: object
    category: object
    birth_year: object


ON_PERSON = PersonColumns(Person.region_id, Person.site_id, Person.sex, Person.category,
                          Person.birth_year)


@dataclass(frozen=True)
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    region_id: int | None = None
    site_id: int | None = None
    category: str | None = None
    sex: str | None = None
    by: str = "sex"
    age_bands: tuple = field(default_factory=lambda: tuple(DEFAULT_AGE_BANDS))

    @property
    def start(self):
        """Inclusive lower bound as a naive UTC datetime, or None."""
        return dt.datetime.combine(self.date_from, dt.time.min) if self.date_from else None

    @property
    def end(self):
        """Exclusive upper bound (the day after `date_to`), or None."""
        if self.date_to is None:
            return None
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min)

    @property
    def reference_year(self):
        """Ages are counted at the end of the period, or this year when it is open."""
        return (self.date_to or today()).year

    def in_period(self, column):
        """Conditions putting a timestamp column inside the period."""
        conditions = []
        if self.start is not None:
            conditions.append(column >= self.start)
        if self.end is not None:
            conditions.append(column < self.end)
        return conditions

    def person_conditions(self, on: PersonColumns = ON_PERSON):
        """Place and person filters as WHERE conditions on the person's columns. On the person
        table, merged cases (tombstones of a case merged into another) are never counted."""
        conditions = [Person.merged_into_id.is_(None)] if on is ON_PERSON else []
        if self.region_id is not None:
            conditions.append(on.region_id == self.region_id)
        if self.site_id is not None:
            conditions.append(on.site_id == self.site_id)
        if self.category:
            conditions.append(on.category == self.category)
        if self.sex:
            conditions.append(on.sex == self.sex)
        return conditions

    def query_args(self):
        """The filters as URL arguments (codes and ids only, never personal values). All time
        is an explicit empty start: without any date the page shows its default period."""
        args = {"date_from": self.date_from, "date_to": self.date_to, "region": self.region_id,
                "site": self.site_id, "category": self.category, "sex": self.sex, "by": self.by}
        kept = {k: str(v) for k, v in args.items() if v not in (None, "")}
        if self.date_from is None and self.date_to is None:
            kept["date_from"] = ""
        return kept


def default_period(on):
    """The period a dashboard opens on: the last twelve months, this one included. A bounded
    default keeps the first view quick however many years the programme has run."""
    month = on.year * 12 + on.month - 1 - 11
    return {"date_from": dt.date(month // 12, month % 12 + 1, 1), "date_to": on}


def age_bands():
    return tuple(tuple(b) for b in current_app.config.get("ICRS_AGE_BANDS", DEFAULT_AGE_BANDS))


def _as_int(value):
    # Never int() on any digits: "9"*400 overflows the database, "²" is a digit int() refuses.
    return safe_int(value)


def resolve(form, user) -> Filters:
    """Filters from a validated FilterForm, with the user's region applied (OutOfScope if the
    form asks for a place outside it)."""
    scope = user.scope
    region_id, site_id = _as_int(form.region.data), _as_int(form.site.data)
    if region_id is not None and not scope.covers_region(region_id):
        raise OutOfScope
    region_id = scope.region_id if scope.region_id is not None else region_id
    if site_id is not None:
        site = db.session.get(Site, site_id)
        if site is None or not scope.covers_site(site):
            raise OutOfScope
    return Filters(date_from=form.date_from.data, date_to=form.date_to.data,
                   region_id=region_id, site_id=site_id, category=form.category.data or None,
                   sex=form.sex.data or None, by=form.by.data or "sex", age_bands=age_bands())
