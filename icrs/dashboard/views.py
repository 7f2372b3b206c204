"""Dashboard pages: the supervisor dashboard, the shared (suppressed) report, aggregate exports,
worklists, and the admin's audited list export with personal data."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    render_template,
    request,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.models import place_choices
from icrs.core.pagination import Page, page_arg
from icrs.core.timeutil import format_when, today, utcnow, zone_label
from icrs.dashboard import (
    charts,
    exports,
    indicators,
    personal,
    personal_file,
    referral_queries,
    worklists,
)
from icrs.dashboard.display import describe, display_rows
from icrs.dashboard.filters import Filters, default_period, resolve
from icrs.dashboard.forms import FilterForm, PersonalExportForm
from icrs.dashboard.suppression import THRESHOLD, suppress_table
from icrs.extensions import db

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
WORKLIST_PREVIEW = 10


def load_filters(figures=True, by_choices=None):
    """The request's filter form and resolved Filters (None when the form is invalid);
    403 for a place outside the user's region. Figures open on the last twelve months when
    the request names no date (emptying both dates asks for all time); the list with
    personal data covers everyone unless a period is given. `by_choices`: a page's own
    disaggregations instead of the form's."""
    dated = "date_from" in request.args or "date_to" in request.args
    defaults = default_period(today()) if figures and not dated else {}
    form = FilterForm(request.args, **defaults)
    if by_choices is not None:
        form.by.choices = by_choices
    regions, sites = current_user.scope.places()
    form.region.choices = place_choices(regions, empty=not current_user.scope.region_id)
    form.site.choices = place_choices(sites, empty=True)
    if not form.validate():
        return form, None
    return form, resolve(form, current_user)  # OutOfScope: the app answers 403


def _page_context(board, shared=False):
    """Sections of the page; a shared report has suppressed tables and no charts (a bar's
    length would give away the small count the table hides)."""
    sections = []
    for table in board.tables:
        shown = suppress_table(table) if shared else table
        chart = "" if shared else charts.render(table, f"chart-{table.key}")
        sections.append({"table": shown, "rows": display_rows(shown), "chart": chart})
    return {"board": board, "shared": shared, "about": describe(board.filters),
            "threshold": THRESHOLD, "sections": sections}


@bp.route("/")
@permission_required("dashboard.view")
def index():
    form, filters = load_filters()
    if filters is None:
        return render_template("dashboard/index.html", form=form, board=None), 400
    board = indicators.start(filters, current_user)
    # Readers without case-level access (M&E, donors) see suppressed figures and no worklist.
    detail = current_user.can("dashboard.detail")
    lists = _worklist_previews(filters) if detail else {}  # while the referrals are read
    board.finish()
    from icrs.approvals.queries import waiting_count
    return render_template("dashboard/index.html", form=form, args=filters.query_args(),
                           lists=lists, approvals_waiting=waiting_count(current_user),
                           **_page_context(board, shared=not detail))


def _worklist_previews(filters):
    return {kind: _worklist(kind, filters).rows(WORKLIST_PREVIEW)
            for kind in ("follow_ups", "referrals")}


def _worklist(kind, filters):
    if kind == "referrals":
        return referral_queries.OverdueReferrals(filters)
    return worklists.OverdueFollowUps(filters)


@bp.route("/report")
@permission_required("dashboard.view")
def report():
    """Printable report to share outside the team: small counts suppressed, no worklists."""
    form, filters = load_filters()
    if filters is None:
        abort(400)
    board = indicators.build(filters, current_user)
    return render_template("dashboard/report.html", generated=format_when(utcnow()),
                           **_page_context(board, shared=True))


@bp.route("/overdue/<kind>")
@permission_required("dashboard.detail")
def overdue(kind):
    if kind not in ("follow_ups", "referrals"):
        abort(404)
    form, filters = load_filters()
    if filters is None:
        abort(400)
    worklist = _worklist(kind, filters)
    per_page, number = current_app.config["ICRS_PAGE_SIZE"], page_arg(request.args)
    items = worklist.rows(per_page, (number - 1) * per_page)
    page = Page(items, number, per_page, worklist.count() or 0)
    return render_template("dashboard/overdue.html", kind=kind, page=page, today=today(),
                           args=filters.query_args())


@bp.route("/export/<key>.csv")
@permission_required("dashboard.view")
def export_csv(key):
    if not indicators.entries(only=key):
        abort(404)
    form, filters = load_filters()
    if filters is None:
        abort(400)
    table = indicators.build(filters, current_user, only=key).table(key)
    if table is None:
        abort(404)
    body = exports.to_csv(table, hxl=request.args.get("hxl") == "1")
    return _download(body, "text/csv", f"icrs-{key}-{today().isoformat()}.csv")


@bp.route("/export.xlsx")
@permission_required("dashboard.view")
def export_xlsx():
    form, filters = load_filters()
    if filters is None:
        abort(400)
    board = indicators.build(filters, current_user)
    about = [(str(k), str(v)) for k, v in describe(filters)] + [
        (str(_l("Generated")), f"{format_when(utcnow())} — {zone_label()}"),
        (str(_l("Small counts")), str(_l("Counts from 1 to 4 are shown as <5."))),
        (str(_l("Hidden counts")), str(_l("Counts shown as x are hidden too, so that the small "
                                          "counts cannot be worked out from the totals.")))]
    body = exports.to_xlsx(board.tables, about, hxl=request.args.get("hxl") == "1")
    return _download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"icrs-dashboard-{today().isoformat()}.xlsx")


def _download(body, mimetype, filename):
    """A file download; text types get "; charset=utf-8" from Flask, once."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/export/personal", methods=["GET", "POST"])
@permission_required("dashboard.export_personal")
def personal_export():
    form, filters = load_filters(figures=False)
    export_form = PersonalExportForm()
    export_form.fields.choices = personal.field_choices()
    if filters is not None and export_form.validate_on_submit():
        return _stream_personal(filters, export_form)
    status = 400 if request.method == "POST" or filters is None else 200
    filters = filters or Filters()
    html = render_template("dashboard/personal_export.html", form=form, export_form=export_form,
                           args=filters.query_args(), about=describe(filters),
                           count=personal.count_people(filters))
    return _no_store(make_response(html, status))


def _stream_personal(filters, export_form):
    """Audit, then an encrypted ZIP kept for one download; the page shows its password once."""
    fields, rows = personal.start_personal_export(
        current_user, filters, export_form.fields.data, export_form.reason_category.data,
        export_form.reason.data)
    db.session.commit()
    sites = {s.id: s for s in current_user.scope.places()[1]}
    text = "".join(personal.generate_csv(filters, fields, sites))
    name = f"icrs-people-{today().isoformat()}"
    body, password = personal_file.encrypted_zip(f"{name}.csv", text.encode("utf-8"))
    token = personal_file.stash(current_user.id, body)
    html = render_template("dashboard/personal_export_ready.html", password=password,
                           token=token, rows=rows, filename=f"{name}.zip",
                           minutes=personal_file.TTL_MINUTES)
    return _no_store(make_response(html))


@bp.route("/export/personal/download", methods=["POST"])
@permission_required("dashboard.export_personal")
def personal_download():
    """The encrypted file, once (the token is spent), never cached."""
    body = personal_file.take(current_user.id, request.form.get("token", ""))
    if body is None:
        abort(404)
    filename = request.form.get("filename", "")
    if not filename.startswith("icrs-people-") or not filename.endswith(".zip") \
            or len(filename) > 40 or not filename.replace("-", "").replace(".", "").isalnum():
        filename = "icrs-people.zip"
    return _no_store(_download(body, "application/zip", filename))


def _no_store(response):
    """Lists with personal data are never kept by a browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


from icrs.dashboard import (  # noqa: E402,F401 - on `bp`
    assistance_views,
    break_glass_views,
    groups_views,
    sustainability_views,
)
