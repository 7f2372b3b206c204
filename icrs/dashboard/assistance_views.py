"""The dashboard's assistance page and its donor file: amounts committed, disbursed and
verified with the people behind them, always suppressed (an amount names what 1 to 4 people
received), for the dashboard's readers in their scope."""
from flask import abort, render_template
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.timeutil import today
from icrs.dashboard import assistance_export, assistance_queries
from icrs.dashboard.dims import dimension
from icrs.dashboard.display import describe
from icrs.dashboard.suppression import THRESHOLD
from icrs.dashboard.views import _download, bp, load_filters


def _shared_figures(filters):
    dim = dimension(filters.by, filters, current_user)
    names = assistance_queries.type_names()
    return dim, names, [f.shared() for f in assistance_queries.figures(filters, dim, names)]


@bp.route("/assistance")
@permission_required("dashboard.view")
def assistance():
    form, filters = load_filters()
    if filters is None:
        return render_template("dashboard/assistance.html", form=form, figures=None), 400
    dim, _names, figures = _shared_figures(filters)
    sections = [{"figure": f, "rows": assistance_export.display_rows(f)} for f in figures]
    return render_template("dashboard/assistance.html", form=form, figures=figures,
                           sections=sections, args=filters.query_args(), dim=dim,
                           about=describe(filters), threshold=THRESHOLD)


@bp.route("/assistance/donor.csv")
@permission_required("dashboard.view")
def assistance_donor_csv():
    form, filters = load_filters()
    if filters is None:
        abort(400)
    dim, names, figures = _shared_figures(filters)
    body = assistance_export.donor_csv(figures, dim, names)
    return _download(body, "text/csv", f"icrs-assistance-{today().isoformat()}.csv")
