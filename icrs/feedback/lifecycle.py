"""Feedback's answers to the people domain (icrs.people.signals): the case panel, erasure and
merge."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.extensions import db
from icrs.feedback import services
from icrs.feedback.models import Feedback, FeedbackCode
from icrs.people import signals as people_signals


def visible_on_case(person, user):
    """The person's feedback this user may read; a sensitive complaint never shows on the case
    page (the focal points handle it from their own list)."""
    rows = db.session.scalars(sa.select(Feedback).where(
        Feedback.person_id == person.id, Feedback.sensitive.is_(False))
        .order_by(Feedback.received_at.desc())).all()
    return [f for f in rows if services.may_read(user, f)]


def service_choices(person):
    from icrs.directory.models import Service
    from icrs.referrals.models import Referral

    services_ = db.session.scalars(sa.select(Service).where(Service.id.in_(
        sa.select(Referral.service_id).where(Referral.person_id == person.id)))
        .order_by(Service.name)).all()
    return [("", "—")] + [(str(s.id), s.name) for s in services_]


def staff_choices(person):
    """Whom a complaint may name: the staff around the case (its site's caseworkers, the
    supervisors, the providers it was referred to)."""
    from icrs.directory.models import Service
    from icrs.referrals.models import Referral

    organisations = sa.select(Service.organisation_id).where(Service.id.in_(
        sa.select(Referral.service_id).where(Referral.person_id == person.id)))
    users = db.session.scalars(sa.select(User).where(User.active.is_(True), sa.or_(
        sa.and_(User.role == Role.CASEWORKER, User.site_id == person.site_id),
        sa.and_(User.role == Role.SUPERVISOR, sa.or_(User.region_id.is_(None),
                                                     User.region_id == person.region_id)),
        sa.and_(User.role == Role.PROVIDER, User.organisation_id.in_(organisations))))
        .order_by(User.full_name)).all()
    return [("", _l("No one in particular"))] + [(str(u.id), u.full_name) for u in users]


def case_form(person, formdata=None):
    from icrs.feedback.forms import CaseFeedbackForm

    form = CaseFeedbackForm(prefix="fb", formdata=formdata)
    form.service_id.choices = service_choices(person)
    form.concerns_user_id.choices = staff_choices(person)
    return form


@people_signals.case_panels.connect
def _case_panel(person, user=None, **_):
    if user is None or not person.can_view(user):
        return {}
    from icrs.feedback.forms import IssueCodeForm

    can_record = services.may_record(user, person)
    return {"feedback": {
        "rows": visible_on_case(person, user), "can_record": can_record,
        "form": case_form(person, formdata=None) if can_record else None,
        "code": services.code_of(person) if person.can_edit(user) else None,
        "can_issue_code": person.can_edit(user), "code_form": IssueCodeForm(prefix="fbcode")}}


@people_signals.person_erasing.connect
def _on_person_erasing(person, **_):
    """The code goes; the feedback rows stay as codes for the satisfaction figures (the
    person's words and the answers die with the data key)."""
    db.session.execute(sa.delete(FeedbackCode).where(FeedbackCode.person_id == person.id))


@people_signals.merge_holdings.connect
def _merge_holdings(merged, **_):
    """What moves, as the merging supervisor may know it: the complaints only the focal points
    read are not counted (they move all the same)."""
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Feedback).where(
        Feedback.person_id == merged.id, Feedback.sensitive.is_(False)))
    return {_l("Feedback and complaints"): count}


@people_signals.person_merging.connect
def _on_merging(merged, survivor=None, **_):
    """The feedback follows the case (re-encrypted under the survivor's key at flush); the
    merged case's code stops working (the survivor keeps or gets its own)."""
    for row in db.session.scalars(sa.select(Feedback).where(Feedback.person_id == merged.id)):
        row.person_id = survivor.id
    db.session.execute(sa.delete(FeedbackCode).where(FeedbackCode.person_id == merged.id))
