"""Break-glass on a case: the POST that opens the restricted sections for a while."""
from flask import abort, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.timeutil import format_when
from icrs.extensions import db
from icrs.people import services
from icrs.people.forms import BreakGlassForm
from icrs.people.views import bp, load_person, refuse, render_case


@bp.route("/<uuid:person_id>/break-glass", methods=["POST"])
@permission_required("people.sensitive")
def break_glass(person_id):
    person = load_person(person_id)
    if not person.can_break_glass(current_user):
        abort(403)
    form = BreakGlassForm(prefix="glass")
    if not form.validate_on_submit():
        return render_case(person, 400, break_glass_form=form)
    try:
        grant = services.break_glass(current_user, person, form.reason.data)
    except DomainError as exc:
        return refuse(exc, person, "break_glass_form", form)
    db.session.commit()
    flash(_l("The restricted sections of this case are open to you until %(at)s. Your reason "
             "is recorded and the case team is told.", at=format_when(grant.expires_at)),
          "warning")
    return redirect(url_for("profiling.overview", person_id=person.id))
