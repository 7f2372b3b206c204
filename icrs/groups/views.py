"""Group pages: the list, forming a group, its page (no identities), its member list (case
readers only, audited) and the actions (POST)."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.assistance.models import AssistanceType
from icrs.audit.services import commit_view
from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.fields import parse_uuid
from icrs.core.views import show_refusal
from icrs.extensions import db
from icrs.groups import services, states
from icrs.groups.forms import (
    FollowUpForm,
    GrantForm,
    GroupForm,
    MeetingForm,
    MemberForm,
    PlanForm,
    ReferralForm,
    StatusForm,
)
from icrs.groups.models import (
    CommunityGroup,
    GroupFollowUp,
    GroupGrant,
    GroupMeeting,
    GroupReferral,
)
from icrs.people.models import Person

bp = Blueprint("groups", __name__, url_prefix="/groups")


def load_group(group_id) -> CommunityGroup:
    """404 for an unknown group and for one the user may not see."""
    group = db.session.get(CommunityGroup, group_id)
    if group is None or not services.can_view(current_user, group):
        abort(404)
    return group


def _facilitators():
    from icrs.directory.models import Organisation
    rows = db.session.scalars(sa.select(Organisation).where(Organisation.active.is_(True))
                              .order_by(Organisation.name)).all()
    return [("", "—")] + [(str(o.id), o.display_name) for o in rows]


def _types():
    rows = db.session.scalars(sa.select(AssistanceType).where(AssistanceType.active.is_(True))
                              .order_by(AssistanceType.code)).all()
    return [("", "—")] + [(str(t.id), t.name) for t in rows]


@bp.route("/")
@permission_required("groups.view")
def index():
    groups = db.session.scalars(sa.select(CommunityGroup).where(services.visible(current_user))
                                .order_by(CommunityGroup.name)).all()
    return render_template("groups/index.html", groups=groups)


@bp.route("/new", methods=["GET", "POST"])
@permission_required("groups.manage")
def new():
    form = GroupForm()
    form.facilitator_id.choices = _facilitators()
    if not form.validate_on_submit():
        return render_template("groups/new.html", form=form), \
            400 if request.method == "POST" else 200
    try:
        group = services.create_group(current_user, form.name.data, form.group_type.data,
                                      parse_uuid(form.facilitator_id.data))
    except DomainError as exc:
        return render_template("groups/new.html", form=form), show_refusal(exc, form)
    db.session.commit()
    flash(_l("Group formed."), "success")
    return redirect(url_for("groups.detail", group_id=group.id))


def _forms(group, **given):
    forms = {"member_form": MemberForm(formdata=None), "status_form": StatusForm(formdata=None),
             "plan_form": PlanForm(formdata=None, activity=group.plan_activity,
                                   goals=group.plan_goals, inputs=group.plan_inputs),
             "meeting_form": MeetingForm(formdata=None),
             "follow_up_form": FollowUpForm(formdata=None), "grant_form": GrantForm(formdata=None),
             "referral_form": ReferralForm(formdata=None)}
    forms.update(given)
    forms["referral_form"].organisation_id.choices = _facilitators()
    forms["status_form"].target.choices = [(s.value, s.label)
                                           for s in states.targets(group.status)]
    forms["grant_form"].assistance_type_id.choices = _types()
    return forms


def render_group(group, status=200, **given):
    counts = services.member_counts(group)
    follow_ups = db.session.scalars(sa.select(GroupFollowUp).where(
        GroupFollowUp.group_id == group.id).order_by(GroupFollowUp.visited_on.desc())).all()
    meetings = db.session.scalars(sa.select(GroupMeeting).where(
        GroupMeeting.group_id == group.id).order_by(GroupMeeting.held_on.desc())).all()
    grants = db.session.scalars(sa.select(GroupGrant).where(
        GroupGrant.group_id == group.id).order_by(GroupGrant.proposed_at)).all()
    referrals = db.session.scalars(sa.select(GroupReferral).where(
        GroupReferral.group_id == group.id).order_by(GroupReferral.referred_on)).all()
    return render_template(
        "groups/detail.html", group=group, counts=counts, follow_ups=follow_ups,
        meetings=meetings, grants=grants, referrals=referrals,
        can_manage=services.can_manage(current_user, group),
        can_follow_up=services.can_follow_up(current_user, group),
        can_read_members=services.can_read_members(current_user, group),
        **_forms(group, **given)), status


@bp.route("/<uuid:group_id>")
@permission_required("groups.view")
def detail(group_id):
    return render_group(load_group(group_id))


@bp.route("/<uuid:group_id>/members")
@permission_required("groups.members")
def members(group_id):
    group = load_group(group_id)
    try:
        rows = services.read_members(current_user, group)
    except DomainError as exc:
        show_refusal(exc)
    commit_view()
    return render_template("groups/members.html", group=group, memberships=rows)


def _act(group, form_name, form, action):
    """Validate `form`, run `action`, commit; or the page again with the refusal."""
    if not form.validate_on_submit():
        return render_group(group, 400, **{form_name: form})
    try:
        action()
    except DomainError as exc:
        status = show_refusal(exc, form)
        return render_group(db.session.get(CommunityGroup, group.id), status,
                            **{form_name: form})
    db.session.commit()
    flash(_l("Saved."), "success")
    return redirect(url_for("groups.detail", group_id=group.id))


@bp.route("/<uuid:group_id>/members", methods=["POST"])
@permission_required("groups.manage")
def member_add(group_id):
    group = load_group(group_id)
    form = MemberForm()

    def action():
        person = db.session.scalar(sa.select(Person).where(
            Person.case_number == (form.case_number.data or "").strip()))
        services.add_member(current_user, group, person, form.role.data, form.joined_on.data)
    return _act(group, "member_form", form, action)


@bp.route("/<uuid:group_id>/status", methods=["POST"])
@permission_required("groups.manage")
def status_change(group_id):
    group = load_group(group_id)
    form = StatusForm()
    form.target.choices = [(s.value, s.label) for s in states.GroupStatus]
    return _act(group, "status_form", form, lambda: services.change_status(
        current_user, group, form.target.data, request.form.get("version")))


@bp.route("/<uuid:group_id>/plan", methods=["POST"])
@permission_required("groups.manage")
def plan_save(group_id):
    group = load_group(group_id)
    form = PlanForm()
    return _act(group, "plan_form", form, lambda: services.save_plan(
        current_user, group, form.activity.data, form.goals.data, form.inputs.data))


@bp.route("/<uuid:group_id>/meetings", methods=["POST"])
@permission_required("groups.view")
def meeting_add(group_id):
    group = load_group(group_id)
    form = MeetingForm()
    return _act(group, "meeting_form", form, lambda: services.record_meeting(
        current_user, group, form.held_on.data, form.attendance.data))


@bp.route("/<uuid:group_id>/follow-ups", methods=["POST"])
@permission_required("groups.view")
def follow_up_add(group_id):
    group = load_group(group_id)
    form = FollowUpForm()
    return _act(group, "follow_up_form", form, lambda: services.record_follow_up(
        current_user, group, form.visited_on.data, form.trust.data, form.participation.data,
        form.conflicts_resolved.data, form.working_together.data))


@bp.route("/<uuid:group_id>/grant", methods=["POST"])
@permission_required("groups.manage")
def grant_add(group_id):
    group = load_group(group_id)
    form = GrantForm()
    form.assistance_type_id.choices = _types()

    def action():
        type_id = form.assistance_type_id.data
        assistance_type = db.session.get(AssistanceType, int(type_id)) \
            if str(type_id).isdigit() else None
        services.grant(current_user, group, assistance_type, form.total.data,
                       form.justification.data)
    return _act(group, "grant_form", form, action)


@bp.route("/<uuid:group_id>/referrals", methods=["POST"])
@permission_required("groups.manage")
def referral_add(group_id):
    group = load_group(group_id)
    form = ReferralForm()
    form.organisation_id.choices = _facilitators()
    return _act(group, "referral_form", form, lambda: services.refer_group(
        current_user, group, parse_uuid(form.organisation_id.data), form.service_category.data))
