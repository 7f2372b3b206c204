"""Audit pages: the log viewer (admins) and a case's access history (its supervisors)."""
from dataclasses import asdict

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from markupsafe import Markup

from icrs.audit import labels, queries
from icrs.audit.forms import AuditFilterForm
from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required
from icrs.auth.roles import Role
from icrs.core.pagination import page_arg, paginate
from icrs.extensions import db
from icrs.people.models import Person

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 50


@bp.route("/")
@permission_required("audit.view")
def index():
    form = AuditFilterForm(request.args)
    form.object_type.choices = [("", "—")] + [
        (t, labels.object_type_label(t)) for t in queries.object_types()]
    if not form.validate():
        return render_template("audit/index.html", form=form, page=None), 400
    flt = form.to_filter()
    page = paginate(queries.filtered(flt), page_arg(request.args), PAGE_SIZE)
    used = {k: str(v) for k, v in asdict(flt).items() if v}
    record("audit.log_viewed", actor=current_user, page=page.page, filters=used)
    commit_view()
    return render_template("audit/index.html", form=form, page=page)


@bp.route("/person/<uuid:person_id>")
@permission_required("audit.case_history")
def person_history(person_id):
    person = db.session.get(Person, person_id)
    if person is None or not may_see_case_history(current_user, person):
        abort(404)
    page = paginate(queries.case_history_query(person), page_arg(request.args), PAGE_SIZE)
    record("audit.case_history_viewed", actor=current_user, obj=person, page=page.page)
    commit_view()
    return render_template("audit/person.html", person=person, page=page)


def may_see_case_history(user, person):
    """Supervisors for the cases they supervise; admins (system oversight) for any case."""
    if not user.can("audit.case_history"):
        return False
    return user.role == Role.ADMIN or person.can_supervise(user)


@bp.app_template_global("audit_case_history")
def case_history_for_template(person, limit=20):
    """For `audit/_case_history.html` on the case page: the entries, or None when the current
    user may not see them (the partial then renders nothing)."""
    if not current_user.is_authenticated or not may_see_case_history(current_user, person):
        return None
    return queries.case_history(person, limit)


@bp.app_template_global("audit_justification")
def justification_for_template(entry):
    """An export's justification, for those who may read the whole log (admins)."""
    if entry.action != "dashboard.personal_export" or not current_user.can("audit.view"):
        return None
    from icrs.audit.justifications import justification_text
    return justification_text(entry)


@bp.app_template_global("audit_details")
def details_for_template(entry):
    """A list entry's or a catalogue item's stable code is shown as data (`<code data-code>`,
    like the list pages), not as words."""
    return [(label, Markup('<code data-code>{}</code>').format(text) if key == "code" else text)
            for key, label, text in queries.detail_items(entry, with_keys=True)]


@bp.app_template_global("audit_action_label")
def action_label_for_template(action):
    return labels.action_label(action)


@bp.app_template_global("audit_object_label")
def object_label_for_template(object_type):
    return labels.object_type_label(object_type)
