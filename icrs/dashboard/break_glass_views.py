"""The supervisor's list of break-glass uses in their area: who opened which case, when, why."""
from flask import current_app, render_template, request
from flask_login import current_user

from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required
from icrs.core.pagination import page_arg, paginate
from icrs.crypto import preload_keys
from icrs.dashboard.views import bp
from icrs.people.services import region_uses


@bp.route("/break-glass")
@permission_required("people.break_glass_review")
def break_glass():
    page = paginate(region_uses(current_user), page_arg(request.args),
                    current_app.config["ICRS_PAGE_SIZE"])
    preload_keys(g.person_id for g in page.items)
    record("people.break_glass_reviewed", actor=current_user, object_type="person",
           count=len(page.items), page=page.page)
    commit_view()
    return render_template("dashboard/break_glass.html", page=page)
