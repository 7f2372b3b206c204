"""The assistance's answers to the people domain (icrs.people.signals): the case page panel,
erasure and merge of a person's entitlements and ledger lines."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.approvals import services as approvals
from icrs.assistance import ledger, services, verification
from icrs.assistance.forms import HandoverForm, ProposeForm, ResolveForm, ResubmitForm, ReverseForm
from icrs.assistance.models import Entitlement, Handover, ReceiptMethod, SpotCheck
from icrs.assistance.states import EntitlementStatus as S
from icrs.core.models import Site
from icrs.core.timeutil import today
from icrs.extensions import db
from icrs.people import signals

OPEN = (S.PROPOSED, S.REQUESTED, S.REJECTED)


def entitlements_of(person):
    return db.session.scalars(sa.select(Entitlement).where(Entitlement.person_id == person.id)
                              .order_by(Entitlement.proposed_at.desc())).all()


def _row(entitlement, user, forms, checks):
    lines = ledger.entries(entitlement)
    reversed_ids = {h.reverses_id for h in lines if h.reverses_id}
    duplicates = services.blocking_duplicates(entitlement) \
        if services.can_resolve_duplicates(user, entitlement) else []
    return {
        "e": entitlement, "lines": lines, "reversed": reversed_ids,
        "checks": {h.id: checks[h.id] for h in lines if h.id in checks},
        "discrepancies": [checks[h.id] for h in lines
                          if h.id in checks and checks[h.id].discrepancy],
        "request": services.pending_request(entitlement)
        if entitlement.status == S.REQUESTED else None,
        "can_hand_over": ledger.can_hand_over(user, entitlement),
        "can_correct": entitlement.person.can_edit(user),
        "can_resubmit": entitlement.status in (S.PROPOSED, S.REJECTED)
        and services.can_propose(user, entitlement.person),
        "duplicates": [{"case": p.case_number if p.can_view(user) else None} for p in duplicates],
        "resubmit_form": forms.get(("resubmit", entitlement.id)) or ResubmitForm(
            prefix=f"re-{entitlement.id.hex[:8]}", formdata=None,
            data={"amount": entitlement.amount, "row_version": str(entitlement.version)}),
        "handover_form": forms.get(("handover", entitlement.id)) or _handover_form(entitlement),
    }


def _handover_form(entitlement, submitted=False):
    """The handover form of one entitlement; `submitted`: read from the request (files too)."""
    prefix = f"ho-{entitlement.id.hex[:8]}"
    if submitted:
        form = HandoverForm(prefix=prefix)
    else:
        form = HandoverForm(prefix=prefix, formdata=None,
                            data={"handed_on": today(), "row_version": str(entitlement.version),
                                  "site_id": entitlement.person.site_id})
    form.site_id.choices = site_choices(entitlement.person)
    form.receipt_method.choices = receipt_choices()
    return form


def receipt_choices():
    """The signature on screen is hidden and disabled until the pad's script shows it: without
    JavaScript only the thumbprint and the photo are offered."""
    script_only = {"hidden": True, "disabled": True, "data-needs-script": True}
    return [(m.value, m.label, script_only if m == ReceiptMethod.SCREEN_SIGNATURE else {})
            for m in ReceiptMethod]


def site_choices(person):
    return [(s.id, s.name) for s in db.session.scalars(sa.select(Site).where(
        Site.region_id == person.region_id, Site.active.is_(True)).order_by(Site.code))]


def panel(person, user, forms=None):
    """The panel's context; `forms` carries a refused form back ({(name, id): form})."""
    forms = forms or {}
    propose = forms.get("propose")
    can_propose = services.can_propose(user, person)
    if can_propose and propose is None:
        propose = ProposeForm(prefix="ent", formdata=None)
    if propose is not None:
        propose.assistance_type_id.choices = [
            (t.id, f"{t.name} — {t.unit_value} {t.currency}")
            for t in services.eligible_types(person)]
    checks = verification.checks_of(person)
    return {"rows": [_row(e, user, forms, checks) for e in entitlements_of(person)],
            "discrepancy": any(c.discrepancy for c in checks.values()),
            "can_propose": can_propose, "propose_form": propose,
            "reverse_form": ReverseForm(prefix="rev", formdata=None),
            "resolve_form": ResolveForm(prefix="dup", formdata=None)}


@signals.case_panels.connect
def _case_panel(person, user=None, **_):
    if user is None or not person.can_view(user):
        return {}
    return {"assistance": panel(person, user)}


@signals.person_erasing.connect
def _on_person_erasing(person, actor=None, **_):
    """Open proposals end (their request withdrawn); the approved amounts and the ledger stay
    for the programme's accounts, anonymous: the justification, the witnesses' names and the
    reversal reasons die with the data key, the receipts' photos with the documents."""
    for entitlement in db.session.scalars(sa.select(Entitlement).where(
            Entitlement.person_id == person.id, Entitlement.status.in_(OPEN))):
        approvals.withdraw_open(actor, services.KIND, entitlement.id)
        entitlement.status = S.CANCELLED
    db.session.flush()


@signals.merge_holdings.connect
def _merge_holdings(merged, **_):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Entitlement).where(
        Entitlement.person_id == merged.id))
    return {_l("Assistance entitlements"): count}


@signals.person_merging.connect
def _on_merging(merged, survivor=None, **_):
    """Entitlements, their ledger and its spot-checks follow the case (re-encrypted under the
    survivor's key)."""
    for model in (Entitlement, Handover, SpotCheck):
        for row in db.session.scalars(sa.select(model).where(model.person_id == merged.id)):
            row.person_id = survivor.id
