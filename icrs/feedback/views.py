"""Feedback pages: the handler's list, one feedback, its status; recording from the case page
and from the hotline with a feedback code (POST)."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.fields import parse_uuid, safe_int
from icrs.core.views import show_refusal
from icrs.extensions import db, limiter
from icrs.feedback import lifecycle, services
from icrs.feedback.forms import CodeFeedbackForm, IssueCodeForm, StatusForm
from icrs.feedback.models import Feedback
from icrs.people.models import Person
from icrs.people.views import load_person, render_case

bp = Blueprint("feedback", __name__)
ANCHOR = "#feedback-h"
PAGE_SIZE = 50


def _hotline_limit():
    from flask import current_app
    return current_app.config.get("ICRS_FEEDBACK_CODE_RATE_LIMIT", "30 per hour")


def _user_key():
    return f"user:{current_user.get_id()}"


@bp.app_template_global("service_satisfaction")
def service_satisfaction(service):
    """(answers, mean as the locale writes it) for the directory's service page, or None
    under the threshold."""
    found = services.satisfaction_by_service([service.id]).get(service.id)
    return None if found is None else (found[0], format_decimal(found[1]))


@bp.route("/dashboard/feedback")
@permission_required("dashboard.view")
def figures():
    """Satisfaction per provider and complaints per category, suppressed for every reader."""
    organisations = [(name, n, None if mean is None else format_decimal(mean))
                     for name, n, mean in services.satisfaction_by_organisation(current_user)]
    return render_template("feedback/figures.html", organisations=organisations,
                           categories=services.complaints_by_category(current_user))


@bp.route("/feedback")
@permission_required("feedback.view")
def index():
    rows = db.session.scalars(
        sa.select(Feedback).join(Person, Person.id == Feedback.person_id)
        .options(contains_eager(Feedback.person))
        .where(services.readable_clause(current_user), Person.erased_at.is_(None))
        .order_by(Feedback.status.in_(("answered", "closed")), Feedback.due_on.is_(None),
                  Feedback.due_on, Feedback.received_at.desc()).limit(PAGE_SIZE)).all()
    record("feedback.list_viewed", actor=current_user, count=len(rows))
    commit_view()
    return render_template("feedback/index.html", rows=rows,
                           can_hotline=current_user.can("feedback.record"))


def _load(feedback_id) -> Feedback:
    feedback = db.session.get(Feedback, feedback_id)
    if feedback is None or feedback.person.is_erased or not services.may_read(current_user,
                                                                              feedback):
        abort(404)
    return feedback


def _render_detail(feedback, form=None, status=200):
    record("feedback.viewed", actor=current_user, obj=feedback)
    commit_view()
    return render_template("feedback/detail.html", fb=feedback,
                           form=form or StatusForm(prefix="st", formdata=None)), status


@bp.route("/feedback/<uuid:feedback_id>")
@permission_required("feedback.view")
def detail(feedback_id):
    return _render_detail(_load(feedback_id))


@bp.route("/feedback/<uuid:feedback_id>/status", methods=["POST"])
@permission_required("feedback.view")
def change_status(feedback_id):
    feedback = _load(feedback_id)
    form = StatusForm(prefix="st")
    if not form.validate_on_submit():
        return _render_detail(feedback, form, 400)
    try:
        services.change_status(current_user, feedback, form.status.data, form.response.data)
    except DomainError as exc:
        status = show_refusal(exc, form)
        return _render_detail(_load(feedback_id), form, status)
    db.session.commit()
    flash(_l("Feedback %(ref)s updated.", ref=feedback.reference), "success")
    return redirect(url_for("feedback.detail", feedback_id=feedback.id))


@bp.route("/feedback/hotline", methods=["GET", "POST"])
@limiter.limit(_hotline_limit, key_func=_user_key, methods=["POST"])
@permission_required("feedback.record")
def hotline():
    form = CodeFeedbackForm(prefix="hl")
    if request.method == "GET":
        return render_template("feedback/hotline.html", form=form)
    if not form.validate_on_submit():
        return render_template("feedback/hotline.html", form=form), 400
    try:
        feedback = services.record_by_code(current_user, form.code.data, form.kind.data,
                                           form.category.data, form.text.data,
                                           form.satisfaction.data)
    except DomainError as exc:
        status = show_refusal(exc, form)
        return render_template("feedback/hotline.html", form=form), status
    db.session.commit()
    flash(_l("Recorded with the reference %(ref)s: give it to the caller.",
             ref=feedback.reference), "success")
    return redirect(url_for("feedback.hotline"))


def _refused(person, form, exc=None):
    status = show_refusal(exc, form) if exc is not None else 400
    person = db.session.get(Person, person.id)
    return render_case(person, status, feedback_form=form)


@bp.route("/people/<uuid:person_id>/feedback", methods=["POST"])
@permission_required("feedback.record")
def record_for_case(person_id):
    person = load_person(person_id)
    if not services.may_record(current_user, person):
        abort(403)
    form = lifecycle.case_form(person, formdata=request.form)
    if not form.validate_on_submit():
        return _refused(person, form)
    from icrs.auth.models import User
    from icrs.directory.models import Service
    service_id = parse_uuid(form.service_id.data)
    user_id = safe_int(form.concerns_user_id.data)
    try:
        services.record_feedback(
            current_user, person, form.kind.data, form.category.data, form.channel.data,
            form.text.data, service=db.session.get(Service, service_id) if service_id else None,
            satisfaction=form.satisfaction.data,
            concerns=db.session.get(User, user_id) if user_id else None)
    except DomainError as exc:
        return _refused(person, form, exc)
    db.session.commit()
    flash(_l("Feedback recorded."), "success")
    return redirect(url_for("people.detail", person_id=person.id) + ANCHOR)


@bp.route("/people/<uuid:person_id>/feedback-code", methods=["POST"])
@permission_required("feedback.record")
def issue_code(person_id):
    person = load_person(person_id)
    if not person.can_edit(current_user):
        abort(403)
    if not IssueCodeForm(prefix="fbcode").validate_on_submit():
        abort(400)
    services.issue_code(current_user, person)
    db.session.commit()
    flash(_l("A new feedback code was made: print it for the person (an earlier one no longer "
             "works)."), "success")
    return redirect(url_for("people.detail", person_id=person.id) + ANCHOR)
