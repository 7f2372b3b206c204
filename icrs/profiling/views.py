"""Profile pages: overview, one section (view or edit), submit, a past version."""
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.audit.services import commit_view
from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.views import show_refusal
from icrs.extensions import db
from icrs.people.views import load_person
from icrs.profiling import pages, queries, services
from icrs.profiling.forms import SubmitProfileForm
from icrs.profiling.sections import get_section

bp = Blueprint("profiling", __name__, url_prefix="/people")


def _visible_section(person, code):
    """404 for an unknown section, 403 for a sensitive one the user may not see (with the
    break-glass form for a colleague of the site)."""
    section = get_section(code)
    if section is None:
        abort(404)
    if section.sensitive and not person.can_view_sensitive(current_user):
        abort(make_response(render_template(
            "profiling/restricted.html", person=person, section=section,
            **pages.restricted_context(person, current_user)), 403))
    return section


@bp.route("/<uuid:person_id>/profile")
@permission_required("people.view")
def overview(person_id):
    return _render_overview(load_person(person_id))


def _render_overview(person, status=200, **given):
    """The one place that renders the overview: each response records one view entry."""
    services.mark_viewed(current_user, person)
    commit_view()
    return render_template("profiling/overview.html",
                           **pages.overview_context(person, current_user, **given)), status


@bp.route("/<uuid:person_id>/profile/<code>", methods=["GET", "POST"])
@permission_required("people.view")
def section(person_id, code):
    person = load_person(person_id)
    section = _visible_section(person, code)
    if request.method == "POST":
        return _save_section(person, section)
    return _render_section(person, section, pages.section_form(person, section))


def _render_section(person, section, form, status=200):
    """The one place that renders a section: each response records one view entry."""
    services.mark_viewed(current_user, person, section=section.code)
    commit_view()
    return render_template("profiling/section.html",
                           **pages.section_context(person, section, form, current_user)), status


def _save_section(person, section):
    if not person.can_edit(current_user):
        abort(403)
    # the stored answers: a retired list entry the section already holds stays a valid choice
    stored = queries.section_answers(queries.get_draft(person), section.code)
    form = section.make_form(person, data=stored or {})
    if not form.validate_on_submit():
        return _render_section(person, section, form, 400)
    try:
        services.save_section(current_user, person, section.code, form.answers(),
                              form.expected_row_version())
    except DomainError as exc:
        return _render_section(person, section, form, show_refusal(exc, form))
    db.session.commit()
    flash(_l("Section saved: %(title)s.", title=section.title), "success")
    return redirect(url_for("profiling.overview", person_id=person.id))


@bp.route("/<uuid:person_id>/profile/submit", methods=["POST"])
@permission_required("people.edit")
def submit(person_id):
    person = load_person(person_id)
    if not person.can_edit(current_user):
        abort(403)
    form = SubmitProfileForm()
    if not form.validate_on_submit():
        return _refused(person, form, None)
    try:
        version = services.submit_profile(current_user, person, form.expected_row_version())
    except services.IncompleteProfile as exc:
        return _refused(person, form, exc, incomplete=exc.sections)
    except DomainError as exc:
        return _refused(person, form, exc)
    db.session.commit()
    flash(_l("Profile submitted as version %(n)s.", n=version.number), "success")
    return redirect(url_for("profiling.overview", person_id=person.id))


def _refused(person, form, exc, incomplete=()):
    """The overview again with the reason above the submit button; nothing saved."""
    status = show_refusal(exc, form) if exc is not None else 400
    return _render_overview(person, status, submit_form=form,
                            incomplete={s.code for s in incomplete})


@bp.route("/<uuid:person_id>/profile/versions/<int:number>")
@permission_required("people.view")
def version(person_id, number):
    person = load_person(person_id)
    context = pages.version_context(person, number, current_user)
    if context is None:
        abort(404)
    services.mark_viewed(current_user, person, page="version", version=number,
                         sections=[s.code for s, _ in context["shown"]])
    commit_view()
    return render_template("profiling/version.html", **context)
