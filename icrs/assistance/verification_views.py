"""The verification pages (supervisors): the spot-checks waiting for me and the discrepancies of
my area, drawing a sample, recording a check. Nothing changes on GET."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from icrs.assistance import verification
from icrs.assistance.forms import DrawForm, SpotCheckForm
from icrs.assistance.models import SpotCheck
from icrs.assistance.views import bp
from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.timeutil import utcnow
from icrs.core.views import show_refusal
from icrs.extensions import db


def _page(form=None, status=200):
    return render_template(
        "assistance/verification.html", form=form or DrawForm(formdata=None),
        waiting=verification.waiting_for(current_user),
        discrepancies=verification.discrepancies(current_user), now=utcnow(),
        rate=round(verification.rate() * 100)), status


@bp.route("/verification")
@permission_required("assistance.verify")
def verification_index():
    return _page()


@bp.route("/verification/draw", methods=["POST"])
@permission_required("assistance.verify")
def draw_spot_checks():
    form = DrawForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        made = verification.draw_spot_checks(current_user, form.since_days.data)
    except DomainError as exc:
        return _page(form, show_refusal(exc, form))
    db.session.commit()
    flash(ngettext("%(num)s handover drawn for a spot-check.",
                   "%(num)s handovers drawn for a spot-check.", len(made)) if made else
          _l("No handover to draw: every recent one is already checked or corrected."),
          "success" if made else "warning")
    return redirect(url_for("assistance.verification_index"))


def _check(check_id):
    check = db.session.get(SpotCheck, check_id) or abort(404)
    if not check.person.can_view(current_user):
        abort(404)
    if not verification.can_record(current_user, check):
        abort(403)
    return check


def _check_page(check, form, status=200):
    return render_template("assistance/spot_check.html", check=check, form=form,
                           handover=check.handover, entitlement=check.handover.entitlement,
                           now=utcnow()), status


@bp.route("/spot-checks/<uuid:check_id>", methods=["GET", "POST"])
@permission_required("assistance.verify")
def spot_check(check_id):
    check = _check(check_id)
    if request.method == "GET":
        if check.is_done:
            flash(_l("This spot-check is already recorded."), "warning")
            return redirect(url_for("assistance.verification_index"))
        record("assistance.spot_check_viewed", actor=current_user, obj=check.person,
               spot_check=str(check.id))  # the case number and what was handed over
        commit_view()
        return _check_page(check, SpotCheckForm(formdata=None,
                                                data={"row_version": str(check.version)}))
    form = SpotCheckForm()
    if not form.validate_on_submit():
        return _check_page(check, form, 409 if check.is_done else 400)
    try:
        verification.record_spot_check(current_user, check, form.receipt.data,
                                       form.goods_use.data, form.note.data,
                                       version=form.row_version.data or None)
    except DomainError as exc:
        status = show_refusal(exc, form)
        return _check_page(db.session.get(SpotCheck, check_id), form, status)
    db.session.commit()
    flash(_l("Spot-check recorded: a discrepancy is flagged on the case.") if check.discrepancy
          else _l("Spot-check recorded."), "warning" if check.discrepancy else "success")
    return redirect(url_for("assistance.verification_index"))


@bp.app_template_global("spot_check_summary")
def spot_check_summary():
    """The dashboard's line: checks waiting for the user, discrepancies in their area (a
    count: suppressed for readers who see no case)."""
    from icrs.dashboard.suppression import suppress

    count = verification.discrepancy_count(current_user.scope)
    detail = current_user.can("dashboard.detail")
    return {"waiting": verification.waiting_count(current_user),
            "discrepancies": count if detail else suppress(count),
            "link": current_user.can("assistance.verify")}
