"""Community group figures (icrs.groups): groups by status and type, groups by number of
members, the mixed membership (ex-associates and community members, by the dashboard's
disaggregation and per group) and the cohesion answers at the first and latest follow-up.

Counts of people are of current members (joined, not left) of the groups in the filters'
places; the period bounds the follow-ups only (a group's status and members are as they are
today). Nothing encrypted is read: kind, sex and birth year are plain person columns."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.dashboard.dims import Bucket
from icrs.dashboard.tables import Row, Table, crosstab, plain
from icrs.extensions import db
from icrs.groups.cohesion import QUESTIONS, WORKING_TOGETHER_SCORE
from icrs.groups.models import CommunityGroup, GroupFollowUp, GroupMembership, GroupType
from icrs.groups.states import GroupStatus
from icrs.people.kinds import BeneficiaryKind
from icrs.people.models import Person

SIZE_BANDS = ((0, 4), (5, 9), (10, 19), (20, None))


def _enum_buckets(enum_cls):
    return [Bucket(m.value, str(m.label), f"+{m.value}") for m in enum_cls]


def group_conditions(filters, user):
    """The filters' places, inside the user's area."""
    conditions = []
    scope = user.scope
    if scope.region_id is not None:
        conditions.append(CommunityGroup.region_id == scope.region_id)
    if filters.region_id is not None:
        conditions.append(CommunityGroup.region_id == filters.region_id)
    if filters.site_id is not None:
        conditions.append(CommunityGroup.site_id == filters.site_id)
    return conditions


def by_status(filters, user):
    stmt = (sa.select(CommunityGroup.status, CommunityGroup.group_type, sa.func.count())
            .where(*group_conditions(filters, user))
            .group_by(CommunityGroup.status, CommunityGroup.group_type))
    return crosstab("groups_status", str(_l("Groups by status and type")), str(_l("Status")),
                    db.session.execute(stmt).all(), _enum_buckets(GroupStatus),
                    _enum_buckets(GroupType), row_hxl="#indicator+group_status",
                    measure_hxl="#output+groups", chart="",
                    note=str(_l("Groups, not people: every group of the places chosen, in its "
                                "status today.")))


def _current_members():
    return (sa.select(GroupMembership.group_id, sa.func.count().label("n"))
            .where(GroupMembership.left_on.is_(None))
            .group_by(GroupMembership.group_id).subquery("sizes"))


def _size_band(column):
    whens = [(column <= high, f"{low}-{high}") for low, high in SIZE_BANDS if high is not None]
    last = SIZE_BANDS[-1][0]
    return sa.case(*whens, else_=f"{last}+")


def size_rows():
    return [Bucket(f"{lo}-{hi}" if hi is not None else f"{lo}+",
                   str(_l("%(low)s to %(high)s members", low=lo, high=hi)) if hi is not None
                   else str(_l("%(low)s members or more", low=lo)), f"+size{lo}")
            for lo, hi in SIZE_BANDS]


def members_per_group(filters, user):
    sizes = _current_members()
    band = _size_band(sa.func.coalesce(sizes.c.n, 0))
    stmt = (sa.select(band, CommunityGroup.group_type, sa.func.count())
            .select_from(CommunityGroup).outerjoin(sizes, sizes.c.group_id == CommunityGroup.id)
            .where(*group_conditions(filters, user), CommunityGroup.status != GroupStatus.DISSOLVED)
            .group_by(band, CommunityGroup.group_type))
    return crosstab("groups_sizes", str(_l("Groups by number of members")),
                    str(_l("Current members")), db.session.execute(stmt).all(), size_rows(),
                    _enum_buckets(GroupType), row_hxl="#indicator+group_size",
                    measure_hxl="#output+groups", chart="",
                    note=str(_l("Groups not dissolved, by their current members.")))


def _members(filters, user):
    """Current memberships of the groups in the filters, joined to their people."""
    return (sa.select(GroupMembership.group_id, Person.beneficiary_kind)
            .join(Person, Person.id == GroupMembership.person_id)
            .join(CommunityGroup, CommunityGroup.id == GroupMembership.group_id)
            .where(GroupMembership.left_on.is_(None), Person.erased_at.is_(None),
                   *group_conditions(filters, user), *filters.person_conditions()))


def mixed_membership(filters, user, dim):
    """Current members by kind and the chosen disaggregation (sex, age band …)."""
    column = dim.expr
    stmt = (_members(filters, user).with_only_columns(Person.beneficiary_kind, column,
                                                       sa.func.count())
            .group_by(Person.beneficiary_kind, column))
    return crosstab("groups_mixed", str(_l("Group members by kind")), str(_l("Kind")),
                    db.session.execute(stmt).all(), _enum_buckets(BeneficiaryKind),
                    dim.buckets, row_hxl="#indicator+beneficiary_kind",
                    measure_hxl="#reached+group_members", chart="",
                    note=str(_l("Current members of the groups, people counted once per "
                                "group.")))


KIND_COLUMNS = _enum_buckets(BeneficiaryKind)


def per_group(filters, user):
    """(count table of members by kind per group, value table of the community members'
    share). A share rests on the smaller of its two counts: hidden like a small count."""
    stmt = (_members(filters, user).with_only_columns(
        CommunityGroup.id, CommunityGroup.name, Person.beneficiary_kind, sa.func.count())
        .group_by(CommunityGroup.id, CommunityGroup.name, Person.beneficiary_kind)
        .order_by(CommunityGroup.name))
    rows = db.session.execute(stmt).all()
    groups = list(dict.fromkeys((r[0], r[1]) for r in rows))
    counts = crosstab("groups_per_group", str(_l("Members of each group by kind")),
                      str(_l("Group")), [(gid, kind, n) for gid, _, kind, n in rows],
                      [Bucket(gid, name, "") for gid, name in groups], KIND_COLUMNS,
                      total_row=False, row_hxl="#group+name",
                      measure_hxl="#reached+group_members", chart="")
    share = Table("groups_mixed_share", str(_l("Share of community members in each group")),
                  str(_l("Group")), [Bucket("share", str(_l("Community members")), "+share")],
                  row_hxl="#group+name", measure_hxl="#indicator+pct", kind="value", chart="")
    for row in counts.rows:
        ex, community = row.cells
        total = ex + community
        rests_on = min(ex, community) if ex and community else total
        cell = (100.0 * community / total if total else None, rests_on)
        share.rows.append(Row(row.key, row.label, [cell], cell))
    return counts, share


def _follow_up_ranks(filters):
    conditions = []
    if filters.date_from is not None:
        conditions.append(GroupFollowUp.visited_on >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(GroupFollowUp.visited_on <= filters.date_to)
    order = (GroupFollowUp.visited_on, GroupFollowUp.id)
    first = sa.func.row_number().over(partition_by=GroupFollowUp.group_id, order_by=order)
    last = sa.func.row_number().over(partition_by=GroupFollowUp.group_id,
                                     order_by=tuple(c.desc() for c in order))
    working = sa.case(*((GroupFollowUp.working_together == code, score)
                        for code, score in WORKING_TOGETHER_SCORE.items()))
    return (sa.select(GroupFollowUp.group_id, GroupFollowUp.trust,
                      GroupFollowUp.participation, GroupFollowUp.conflicts_resolved,
                      working.label("working_together"), first.label("first"),
                      last.label("last"))
            .where(*conditions).subquery("ranked"))


def cohesion_change(filters, user):
    """Mean answers at each group's first and latest follow-up in the period, and the mean
    change, among the groups with at least two follow-ups (a value table: (mean, groups))."""
    ranked = _follow_up_ranks(filters)
    first, last = ranked.alias("first_visit"), ranked.alias("last_visit")
    names = [name for name, _, _ in QUESTIONS]
    parts = []
    for name in names:
        parts += [sa.func.avg(first.c[name]), sa.func.avg(last.c[name]),
                  sa.func.avg(last.c[name] - first.c[name])]
    stmt = (sa.select(sa.func.count(), *parts).select_from(first)
            .join(last, sa.and_(last.c.group_id == first.c.group_id, last.c.last == 1))
            .join(CommunityGroup, CommunityGroup.id == first.c.group_id)
            .where(first.c.first == 1, first.c["last"] > 1, *group_conditions(filters, user)))
    found = db.session.execute(stmt).one()
    groups = int(found[0] or 0)
    columns = [Bucket("first", str(_l("First follow-up")), "+first"),
               Bucket("latest", str(_l("Latest follow-up")), "+latest")]
    table = Table("groups_cohesion", str(_l("Social cohesion: first and latest follow-up")),
                  str(_l("Question")), columns, row_hxl="#indicator+cohesion",
                  measure_hxl="#indicator+mean", kind="value", chart="",
                  total_label=str(_l("Change")),
                  note=str(_l("Mean answers of the groups with at least two follow-ups in the "
                              "period; working together scored no 0, partly 1, yes 2. The "
                              "last column is the mean change.")))
    for i, (name, question, _kind) in enumerate(QUESTIONS):
        values = found[1 + 3 * i: 4 + 3 * i]
        cells = [(_float(values[0]), groups), (_float(values[1]), groups)]
        table.rows.append(Row(name, str(question), cells, (_float(values[2]), groups)))
    return table


def _float(value):
    return None if value is None else float(plain(value))
