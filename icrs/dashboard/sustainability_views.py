"""The dashboard's sustainability page: people by band of their latest score and the mean
change from the baseline, by sex, age band, category, region, site or the plan's pathway.
Readers with case-level access (dashboard.detail) see the figures as the dashboard does; the
others see them suppressed (counts by suppress_table, means on 1 to 4 people hidden)."""
from flask import render_template
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.dashboard import sustainability_queries as queries
from icrs.dashboard.display import describe, display_rows
from icrs.dashboard.forms import BY_CHOICES, EXTRA_BY
from icrs.dashboard.suppression import THRESHOLD, suppress_table
from icrs.dashboard.views import bp, load_filters

TEMPLATE = "dashboard/sustainability.html"


@bp.route("/sustainability")
@permission_required("dashboard.view")
def sustainability():
    form, filters = load_filters(by_choices=[*BY_CHOICES, *EXTRA_BY])
    if filters is None:
        return render_template(TEMPLATE, form=form, sections=None), 400
    dim = queries.dimension_for(filters, current_user)
    shared = not current_user.can("dashboard.detail")
    tables = [queries.distribution(filters, dim), queries.change(filters, dim)]
    sections = []
    for table, unit in zip(tables, (None, "points"), strict=True):
        shown = suppress_table(table) if shared else table
        sections.append({"table": shown, "rows": display_rows(shown, unit)})
    args = filters.query_args()
    back = {k: v for k, v in args.items() if not (k == "by" and v == "pathway")}
    return render_template(TEMPLATE, form=form, sections=sections, args=args, back=back,
                           about=describe(filters), shared=shared, threshold=THRESHOLD)
