"""The dashboard's community groups page (icrs.dashboard.groups_queries). Readers with
case-level access (dashboard.detail) see the figures as they are; the others see every table
through the one suppression function (counts from 1 to 4 and what gives them away hidden; a
mean or share resting on 1 to 4 groups or people hidden)."""
from flask import render_template
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.dashboard import groups_queries as queries
from icrs.dashboard.dims import dimension
from icrs.dashboard.display import describe, display_rows
from icrs.dashboard.suppression import THRESHOLD, suppress_table
from icrs.dashboard.views import bp, load_filters

TEMPLATE = "dashboard/groups.html"


@bp.route("/groups")
@permission_required("dashboard.view")
def groups():
    form, filters = load_filters()
    if filters is None:
        return render_template(TEMPLATE, form=form, sections=None), 400
    dim = dimension(filters.by, filters, current_user)
    counts, share = queries.per_group(filters, current_user)
    tables = [(queries.by_status(filters, current_user), None),
              (queries.members_per_group(filters, current_user), None),
              (queries.mixed_membership(filters, current_user, dim), None),
              (counts, None), (share, "percent"),
              (queries.cohesion_change(filters, current_user), "mean")]
    shared = not current_user.can("dashboard.detail")
    sections = []
    for table, unit in tables:
        shown = suppress_table(table) if shared else table
        sections.append({"table": shown, "rows": display_rows(shown, unit)})
    return render_template(TEMPLATE, form=form, sections=sections, args=filters.query_args(),
                           about=describe(filters), shared=shared, threshold=THRESHOLD)
