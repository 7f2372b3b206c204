"""Sustainability figures: people by band of their latest overall score, and the mean change
of the score from the baseline, by the dashboard's disaggregation or the pathway of the plan
in force. The formula of icrs.people.sustainability is rebuilt in SQL from the same weights
and values (ITEMS, ITEM_VALUES, DIMENSIONS, MIN_SHARE), over the plain coded columns of the
follow-ups and of the baseline; nothing encrypted is read.

Who counts: the people with a structured follow-up visit in the period (by its visit date),
scored at their latest visit in the period. The change is that score minus the baseline's
(the first profile), among the people who have both, in points of 0 to 100."""
import operator
from dataclasses import dataclass
from functools import reduce

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.dashboard.dims import Bucket, Dimension, dimension
from icrs.dashboard.filters import PersonColumns
from icrs.dashboard.tables import Row, Table, crosstab, plain
from icrs.extensions import db
from icrs.people import sustainability as formula
from icrs.people.models import WHO5_COLUMNS, FollowUp, Person, SustainabilityBaseline
from icrs.plans.models import PlanStatus, PlanVersion

NO_PLAN = ""  # the pathway bucket of the people without a plan in force (never a list code)
MEASURES = ("overall", *formula.DIMENSIONS)


@dataclass(frozen=True)
class ScoredColumns(PersonColumns):
    """The person's dimensions as copied on the scored-people subquery, with the pathway."""
    pathway: object = None


# --- the formula in SQL -----------------------------------------------------------------------
def _add(terms):
    return reduce(operator.add, terms)


def _item(name, entity):
    """An item's 0-1 value as SQL (NULL when missing or not applicable)."""
    if name == "who5":
        raw = entity.who5_raw if entity is SustainabilityBaseline else _add(
            getattr(FollowUp, column) for column in WHO5_COLUMNS)  # NULL if one is missing
        return sa.cast(raw, sa.Float) / 25.0
    column = getattr(entity, name)
    whens = [(column == code, sa.literal(value, sa.Float))
             for code, value in formula.ITEM_VALUES[name].items() if value is not None]
    return sa.case(*whens, else_=sa.null())


def _weighted(values, weights, need):
    """The weighted mean of the non-NULL values, NULL when less than `need` weight answered."""
    answered = _add(sa.case((values[key].is_not(None), weight), else_=0)
                    for key, weight in weights.items())
    total = _add(sa.func.coalesce(values[key], 0.0) * weight for key, weight in weights.items())
    return sa.case((sa.and_(answered > 0, answered >= need), sa.cast(total, sa.Float) / answered),
                   else_=sa.null())


def dimension_scores(entity):
    """{dimension: SQL score} over the coded columns of FollowUp or SustainabilityBaseline."""
    out = {}
    for name, weights in formula.ITEMS.items():
        values = {item: _item(item, entity) for item in weights}
        out[name] = _weighted(values, weights, formula.MIN_SHARE * sum(weights.values()))
    return out


def overall_score(dims):
    """The overall score as SQL from the dimensions' columns."""
    return _weighted(dims, formula.DIMENSIONS, 0)


# --- who counts -------------------------------------------------------------------------------
def _latest_visits(filters):
    rank = sa.func.row_number().over(partition_by=FollowUp.person_id,
                                     order_by=(FollowUp.visit_date.desc(),
                                               FollowUp.done_at.desc()))
    days = []
    if filters.date_from is not None:
        days.append(FollowUp.visit_date >= filters.date_from)
    if filters.date_to is not None:
        days.append(FollowUp.visit_date <= filters.date_to)
    dims = dimension_scores(FollowUp)
    return (sa.select(FollowUp.person_id, *(expr.label(n) for n, expr in dims.items()),
                      rank.label("rank"))
            .where(FollowUp.done_at.is_not(None), FollowUp.visit_type.is_not(None), *days)
            .subquery("latest_visit"))


def _baselines():
    dims = dimension_scores(SustainabilityBaseline)
    return sa.select(SustainabilityBaseline.person_id,
                     *(expr.label(n) for n, expr in dims.items())).subquery("baseline")


def _plans_in_force():
    rank = sa.func.row_number().over(partition_by=PlanVersion.person_id,
                                     order_by=PlanVersion.number.desc())
    return (sa.select(PlanVersion.person_id, PlanVersion.pathway, rank.label("rank"))
            .where(PlanVersion.status == PlanStatus.AGREED).subquery("plan_in_force"))


def scored_people(filters):
    """One row per person counted: their dimensions, pathway, latest and baseline scores."""
    visit, base, plan = _latest_visits(filters), _baselines(), _plans_in_force()
    latest = {n: visit.c[n] for n in formula.DIMENSIONS}
    first = {n: base.c[n] for n in formula.DIMENSIONS}
    scores = [overall_score(latest).label("overall"), overall_score(first).label("base_overall"),
              *(visit.c[n].label(n) for n in formula.DIMENSIONS),
              *(base.c[n].label(f"base_{n}") for n in formula.DIMENSIONS)]
    return (sa.select(Person.id.label("person_id"), Person.region_id, Person.site_id,
                      Person.sex, Person.category, Person.birth_year,
                      sa.func.coalesce(plan.c.pathway, NO_PLAN).label("pathway"), *scores)
            .select_from(visit).join(Person, Person.id == visit.c.person_id)
            .outerjoin(base, base.c.person_id == visit.c.person_id)
            .outerjoin(plan, sa.and_(plan.c.person_id == visit.c.person_id, plan.c.rank == 1))
            .where(visit.c.rank == 1, *filters.person_conditions())
            .subquery("scored"))


def columns_of(people):
    return ScoredColumns(people.c.region_id, people.c.site_id, people.c.sex, people.c.category,
                         people.c.birth_year, people.c.pathway)


# --- the disaggregation -----------------------------------------------------------------------
def pathway_dimension():
    buckets = [Bucket(e.code, e.label, f"+{e.code}") for e in lookups.entries("pathway")]
    return Dimension("pathway", str(_l("Pathway of the plan in force")), "#indicator+pathway",
                     lambda on: on.pathway,
                     [*buckets, Bucket(NO_PLAN, str(_l("No plan in force")), "+no_plan")])


def dimension_for(filters, user):
    if filters.by == "pathway":
        return pathway_dimension()
    return dimension(filters.by, filters, user)


# --- the two tables ---------------------------------------------------------------------------
def band_rows():
    rows = []
    for index, (low, high) in enumerate(formula.BANDS):
        low, high = round(low * 100), round(high * 100)
        label = (_l("%(low)s to %(high)s", low=low, high=high) if index == len(formula.BANDS) - 1
                 else _l("%(low)s to under %(high)s", low=low, high=high))
        rows.append(Bucket(index, str(label), f"+band{low}_{high}"))
    return rows


def _band(overall):
    whens = [(overall + formula.EPSILON < high, index)
             for index, (_low, high) in enumerate(formula.BANDS[:-1])]
    return sa.case(*whens, else_=len(formula.BANDS) - 1)


def distribution(filters, dim):
    """People by band of their latest overall score (a count table)."""
    people = scored_people(filters)
    band, column = _band(people.c.overall), dim.build(columns_of(people))
    stmt = (sa.select(band, column, sa.func.count()).where(people.c.overall.is_not(None))
            .group_by(band, column))
    return crosstab("sustainability_bands", str(_l("People by sustainability score")),
                    str(_l("Latest overall score (0 to 100)")), db.session.execute(stmt).all(),
                    band_rows(), dim.buckets, row_hxl="#indicator+score_band",
                    measure_hxl="#reached+scored", chart="",
                    note=str(_l("People with a structured follow-up visit in the period, by "
                                "the overall score of their latest visit in the period.")))


MEASURE_LABELS = {"overall": _l("Overall score"), "economic": _l("Economic"),
                  "social": _l("Social"), "psychosocial": _l("Psychosocial")}


def change(filters, dim):
    """Mean change from the baseline, in points, per measure and column: a value table of
    (mean, people) cells, the total column pooled from the columns."""
    people = scored_people(filters)
    column = dim.build(columns_of(people))  # built once: the SELECT's and the GROUP BY's
    parts = []
    for name in MEASURES:
        diff = people.c[name] - people.c[f"base_{name}"]
        parts += [sa.func.avg(diff), sa.func.count(diff)]
    found = {plain(r[0]): r[1:] for r in db.session.execute(
        sa.select(column, *parts).group_by(column)).all()}
    table = Table("sustainability_change", str(_l("Change from the baseline")),
                  str(_l("Score")), list(dim.buckets), row_hxl="#indicator+score",
                  measure_hxl="#indicator+change", kind="mean", chart="",
                  note=str(_l("Mean change of the score between the baseline (the first "
                              "profile) and the latest visit in the period, in points of 0 to "
                              "100, among the people who have both. The profile has no WHO-5: "
                              "no psychosocial baseline.")))
    for i, name in enumerate(MEASURES):
        cells = [_cell(found.get(b.key), i) for b in dim.buckets]
        table.rows.append(Row(name, str(MEASURE_LABELS[name]), cells, _pooled(cells)))
    return table


def _cell(found, i):
    if found is None or not found[2 * i + 1]:
        return (None, 0)
    return (float(found[2 * i]) * 100, int(found[2 * i + 1]))


def _pooled(cells):
    n = sum(count for _, count in cells)
    if not n:
        return (None, 0)
    return (sum(value * count for value, count in cells if count) / n, n)
