"""Disaggregation dimensions: the SQL expression that buckets a person, and the ordered buckets
with their labels and HXL attributes. Age bands are computed in SQL from the birth year."""
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.core.vocab import PersonCategory, Sex, age_band_label
from icrs.dashboard.filters import ON_PERSON, PersonColumns

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    hxl: str  # HXL attribute(s) for a column of this bucket, e.g. "+f"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    hxl: str  # hashtag when the dimension is a table's row header
    build: Callable[[PersonColumns], object]  # the bucketing expression over given columns
    buckets: list

    @cached_property
    def expr(self):
        """The bucketing expression on person. Built once: a SELECT and its GROUP BY must hold
        the same expression object, or PostgreSQL sees two CASEs with different parameters."""
        return self.build(ON_PERSON)

    def on(self, columns: PersonColumns):
        """The bucketing expression on another table's copy of the person's dimensions (built
        once per set of columns, like `expr`)."""
        if columns is ON_PERSON:
            return self.expr
        built = self.__dict__.setdefault("_on", {})
        if id(columns) not in built:
            built[id(columns)] = self.build(columns)
        return built[id(columns)]


def _band_key(low, high):
    return f"{low}-{high}" if high is not None else f"{low}+"


def age_expr(filters, on: PersonColumns = ON_PERSON):
    """CASE expression giving the age band of a person at the period's reference year."""
    age = filters.reference_year - on.birth_year
    whens = []
    for low, high in filters.age_bands:
        cond = age >= low if high is None else sa.and_(age >= low, age <= high)
        whens.append((cond, _band_key(low, high)))
    return sa.case((on.birth_year.is_(None), UNKNOWN), *whens, else_=UNKNOWN)


def _age_buckets(filters):
    buckets = [Bucket(_band_key(lo, hi), age_band_label(lo, hi),
                      f"+age{lo}_{hi}" if hi is not None else f"+age{lo}plus")
               for lo, hi in filters.age_bands]
    return buckets + [Bucket(UNKNOWN, str(_l("Age unknown")), "+age_unknown")]


def _enum_buckets(enum_cls, hxl):
    return [Bucket(m.value, str(m.label), hxl.get(m.value, f"+{m.value}")) for m in enum_cls]


SEX_HXL = {"female": "+f", "male": "+m"}
CATEGORY_HXL = {"adult_man": "+adult+m", "adult_woman": "+adult+f", "caafag": "+caafag",
                "person_with_disability": "+disabled", "dependant": "+dependant"}


def dimension(key, filters, user):
    """The Dimension `key` (sex, age, category, region, site) for this request."""
    if key == "age":
        return Dimension("age", str(_l("Age band")), "#indicator+age_band",
                         lambda on: age_expr(filters, on),
                         _age_buckets(filters))
    if key == "category":
        return Dimension("category", str(_l("Category")), "#indicator+category",
                         lambda on: on.category, _enum_buckets(PersonCategory, CATEGORY_HXL))
    if key in ("region", "site"):
        return _place_dimension(key, filters, user)
    return Dimension("sex", str(_l("Sex")), "#indicator+sex", lambda on: on.sex,
                     _enum_buckets(Sex, SEX_HXL))


def _place_dimension(key, filters, user):
    regions, sites = user.scope.places()
    if key == "region":
        chosen = [r for r in regions if filters.region_id in (None, r.id)]
        return Dimension("region", str(_l("Region")), "#adm1+name",
                         lambda on: on.region_id,
                         [Bucket(r.id, r.label, f"+{(r.pcode or r.code).lower()}")
                          for r in chosen])
    chosen = [s for s in sites if filters.region_id in (None, s.region_id)
              and filters.site_id in (None, s.id)]
    return Dimension("site", str(_l("Site")), "#loc+name", lambda on: on.site_id,
                     [Bucket(s.id, s.label, f"+{s.code.lower()}") for s in chosen])
