"""Everything the case page shows, gathered in one place (forms default to empty ones)."""
import sqlalchemy as sa

from icrs import lookups
from icrs.approvals.queries import for_case
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.signals import dict_from_signal
from icrs.core.vocab import PER_REFERRAL_CONSENT_CATEGORIES
from icrs.extensions import db
from icrs.people import follow_ups as visits
from icrs.people import signals, stage_approvals, stages
from icrs.people.forms import (
    ApprovalAskForm,
    BestInterestForm,
    BreakGlassForm,
    ConsentForm,
    CounsellingForm,
    FollowUpForm,
    NoteForm,
    ReassignForm,
    StageForm,
)
from icrs.people.models import CaregiverRelationship, Consent, FollowUp
from icrs.people.need_to_know import active_grant, grant_minutes
from icrs.people.protection import category_label
from icrs.people.services import consent_texts, consents_needing_renewal
from icrs.people.services.consent import givers_that_count
from icrs.people.timeline import timeline


def _stage_choices(person, user):
    labels = {"resume": _resume_label(), "reopen": _reopen_label()}
    # Stage is a str enum: test the two pseudo-targets by name, not by type.
    return [(t, labels[t]) if t in labels else (t.value, t.label)
            for t in stages.available_moves(person, user)]


def _resume_label():
    from flask_babel import lazy_gettext as _l
    return _l("Resume (back to the previous stage)")


def _reopen_label():
    from flask_babel import lazy_gettext as _l
    return _l("Reopen (back to the previous stage)")


def service_categories():
    """Consent to share is given per service category (the directory's taxonomy codes); a
    retired category is not offered for a new consent, nor one whose consent is asked for each
    referral (GBV, MHPSS: on the referral form, with the details shown)."""
    return lookups.choices("service_category", exclude=PER_REFERRAL_CONSENT_CATEGORIES)


def category_labels(person, user) -> dict:
    """Code -> name for the consents and the timeline; a protection category's name only for
    those who may know (icrs.people.protection)."""
    return {code: category_label(code, label, user, person)
            for code, label in ((e.code, e.label) for e in lookups.entries("service_category"))}


def _forms(person, user, given, categories, texts):
    forms = {
        "consent_form": ConsentForm(prefix="consent"), "note_form": NoteForm(prefix="note"),
        "counselling_form": CounsellingForm(prefix="counsel"),
        "follow_up_form": FollowUpForm(prefix="fu"),
        "stage_form": StageForm(prefix="stage"), "reassign_form": ReassignForm(prefix="assign"),
        "break_glass_form": BreakGlassForm(prefix="glass"),
        "best_interest_form": BestInterestForm(prefix="bia", formdata=None),
        "ask_form": ApprovalAskForm(prefix="ask"),
    }
    if person.is_minor:  # who consents for a child: the caregiver already on record, by default
        forms["consent_form"].caregiver_name.data = person.caregiver_name
    forms.update({k: v for k, v in given.items() if v is not None})
    if given.get("feedback_form") is not None:  # a refused feedback form shown again
        forms["feedback_refused"] = given["feedback_form"]
    forms["consent_form"].service_category.choices = [("", "—")] + categories
    # always the versions in force now: after a refusal the page shows the new text
    forms["consent_form"].shown_texts.data = consent_texts.shown_token(texts)
    forms["stage_form"].target.choices = _stage_choices(person, user)
    forms["ask_form"].kind.choices = [(code, stage_approvals.LABELS[code])
                                      for code in stage_approvals.requestable(person, user)]
    workers = db.session.scalars(sa.select(User).where(
        User.role == Role.CASEWORKER, User.site_id == person.site_id, User.active.is_(True))
        .order_by(User.full_name)).all()
    forms["reassign_form"].caseworker_id.choices = [(str(u.id), u.full_name) for u in workers]
    return forms


def case_context(person, user, **given):
    panels = dict_from_signal(signals.case_panels.send(person, user=user))
    categories = service_categories()
    labels = category_labels(person, user)
    texts = consent_texts.texts_to_show()
    consents = db.session.scalars(sa.select(Consent).where(Consent.person_id == person.id)
                                  .order_by(Consent.given_at.desc())).all()
    profile = panels.get("profile")
    follow_ups = db.session.scalars(sa.select(FollowUp).where(FollowUp.person_id == person.id)
                                    .order_by(FollowUp.done_at.is_not(None), FollowUp.due_date)
                                    ).all()
    return {
        "person": person, "can_edit": person.can_edit(user),
        "can_supervise": person.can_supervise(user),
        "can_sensitive": person.can_view_sensitive(user),
        "can_break_glass": person.can_break_glass(user),
        "break_glass_grant": active_grant(user, person),
        "break_glass_minutes": grant_minutes(),
        "can_withdraw_consent": person.can_withdraw_consent(user),
        "stage_hint": stages.stage_hint(person),
        "approvals": for_case(person.id, user),
        "consents": consents, "active_consents": [c for c in consents if c.active],
        "plan": panels.get("plan"), "follow_ups": follow_ups,
        "sustainability": visits.trend(person),
        "profile": profile, "timeline": timeline(person, labels, user),
        "referrals": panels.get("referrals"), "documents": panels.get("documents"),
        "household": panels.get("household"),
        "minor": panels.get("minor"), "givers_that_count": givers_that_count(person),
        "relationship_labels": dict(CaregiverRelationship.choices()),
        "category_labels": labels, "per_referral_codes": PER_REFERRAL_CONSENT_CATEGORIES,
        "assistance": panels.get("assistance"), "feedback": panels.get("feedback"),
        "consent_texts": texts, "renewal_ids": consents_needing_renewal(person),
        **_forms(person, user, given, categories, texts),
    }
