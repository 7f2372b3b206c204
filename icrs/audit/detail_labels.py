"""Readable, translated names for the keys and coded values of audit entry details, so the log
and the case page's history show "Étape de départ : Enregistré", never `from_stage`/`registered`.
Unknown keys and free values show as they are recorded (ids, counts, dates)."""
from functools import lru_cache

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l

KEYS = {
    "after": _l("After"), "approval": _l("Approval request"), "attachment": _l("Document"),
    "bytes": _l("Size in bytes"), "sha256": _l("SHA-256 fingerprint"),
    "grant": _l("Break-glass grant"), "media_type": _l("File type"), "backend": _l("Storage"),
    "before": _l("Before"),
    "category": _l("Category"), "changed": _l("Changed"), "code": _l("Code"),
    "changed_sections": _l("Sections changed"), "complete": _l("Complete"),
    "channel": _l("Received"), "consent": _l("Consent"), "count": _l("Number"),
    "due": _l("Due date"),
    "failures": _l("Failed attempts"), "fields": _l("Fields"), "file": _l("File"),
    "filters": _l("Filters"), "form": _l("Form"), "from_stage": _l("Stage before"),
    "from_status": _l("Status before"), "kind": _l("Kind"), "method": _l("Method"),
    "minutes": _l("Minutes"), "new_caseworker": _l("New caseworker"),
    "not_duplicate_of": _l("Confirmed not a duplicate of"),
    "old_caseworker": _l("Previous caseworker"), "organisation_id": _l("Organisation"),
    "organisations": _l("Organisations"), "overdue": _l("Overdue"), "page": _l("Page"),
    "packet_shown": _l("Referral details shown"), "pathway": _l("Pathway"),
    "person": _l("Person"), "priority": _l("Priority"), "purpose": _l("Purpose"),
    "reason": _l("Reason"), "reason_category": _l("Reason category"),
    "reason_length": _l("Length of the reason"), "rejected": _l("Rejected"),
    "role": _l("Role"), "rows": _l("Rows"), "section": _l("Section"), "service": _l("Service"),
    "services": _l("Services"), "services_closed": _l("Services closed"),
    "share": _l("Shared with the provider"), "side": _l("Seen by"), "site": _l("Site"),
    "status": _l("Status"), "text_version": _l("Consent text version"),
    "to_stage": _l("New stage"), "to_status": _l("New status"), "version": _l("Version"),
    "vocabulary": _l("List"), "outcome": _l("Outcome"),
    "importable": _l("Rows imported"), "invalid": _l("Rows with problems"),
    "duplicates": _l("Possible duplicates"), "mode": _l("Rows with problems"),
    "file_type": _l("File type"), "caseworker": _l("Caseworker"), "columns": _l("Columns"),
    "name": _l("Name"), "merged": _l("Merged case"), "merged_case": _l("Merged case number"),
    "survivor_case": _l("Surviving case number"), "moved": _l("Moved"),
    "starts_on": _l("First day"), "ends_on": _l("Last day"),
    "given_by": _l("Consent given by"),
    "lives_together": _l("Lives in the household"),
    "requested_by": _l("Requested by"),
    "subject_id": _l("Subject"),
    "subject_type": _l("Kind of subject"),
    "survivor_code": _l("Survivor code used"),
    "elsewhere_confirmed": _l("Confirmed elsewhere"),
    "amount": _l("Amount"),
    "currency": _l("Currency"),
    "entitlement": _l("Assistance entitlement"),
    "handover": _l("Handover"),
    "period": _l("Programme period"),
    "household": _l("Household"),
    "member": _l("Household member"),
    "relationship": _l("Relationship"),
    "recommendation": _l("Recommendation"),
    "reverses": _l("Corrects the handover"),
    "receipt": _l("Receipt"),
    "value": _l("Value"),
    "assessment": _l("Assessment"),
    "renewed": _l("Consents renewed"),
    "by_mail": _l("By e-mail"),
    "delay_seconds": _l("Delay in seconds"),
    "requires_reconsent": _l("Requires re-consent"),
    "to_file": _l("To a file"),
    "follow_up": _l("Follow-up"), "months": _l("Months after the event"),
    "visit_type": _l("Type of visit"), "activity": _l("Current activity"),
    "income_band": _l("Monthly income"),
    "business_running": _l("Business or training still running"),
    "housing": _l("Housing"), "family_acceptance": _l("Acceptance by the family"),
    "community_acceptance": _l("Acceptance by the community"),
    "safety": _l("Safety concerns"), "who5_cheerful": _l("WHO-5: cheerful"),
    "who5_calm": _l("WHO-5: calm"), "who5_active": _l("WHO-5: active"),
    "who5_rested": _l("WHO-5: rested"), "who5_interest": _l("WHO-5: interest"),
    "spot_check": _l("Spot-check"),
    "use": _l("Goods or business in use"),
    "discrepancy": _l("Discrepancy"),
    "since_days": _l("Handovers of the last days"),
    "pool": _l("Handovers that could be drawn"),
    "drawn": _l("Spot-checks drawn"),
    "region": _l("Region"),
    "entitlement_status": _l("New status of the assistance"),
    "created": _l("Created"),
    "goals": _l("Goals"),
    "actions": _l("Actions"),
    "budget": _l("Budget"),
    "approval_needed": _l("Approval needed"),
    "line": _l("Line"),
    "linked": _l("Linked to a referral or assistance"),
    "link": _l("Provider link"), "days": _l("Days"),
    "replaced": _l("Replaced by a new link"), "with_link": _l("With a new provider link"),
    "on_behalf": _l("Recorded on the provider's behalf"),
    "type": _l("Type"), "members": _l("Members"), "attendance": _l("Attendance"),
    "total": _l("Total"), "organisation": _l("Organisation"), "user": _l("User"),
    "expires_at": _l("Expires"),
}
# Fields of a list entry named in "changed".
ENTRY_FIELDS = {"label_fr": _l("French label"), "label_en": _l("English label"),
                "position": _l("Order"),
                "complaints_focal_point": _l("Complaints focal point")}
# Detail keys whose value is a code of these admin-editable lists (icrs.lookups).
LOOKUP_KEYS = {"reason": ("exit_reason", "decline_reason"), "pathway": ("pathway",),
               "outcome": ("outcome",)}
PAGES = {
    "case": _l("Case page"), "identity_edit": _l("Identity form"),
    "overview": _l("Profile overview"), "version": _l("Profile version"),
    "provider": _l("Service provider"), "staff": _l("Staff"),
    "plan": _l("Reintegration plan"),
}
IMPORT_MODES = {"all": _l("all or nothing"), "skip": _l("skipped")}


def key_label(key):
    return KEYS.get(key, key)


def value_label(key, value):
    """The label of a coded value (a stage, status, category, section …), or the value."""
    if not isinstance(value, str):
        return value
    if key in ("page", "side") and value in PAGES:
        return PAGES[value]
    if key == "changed" and value in ENTRY_FIELDS:
        return ENTRY_FIELDS[value]
    if key == "mode" and value in IMPORT_MODES:
        return IMPORT_MODES[value]
    if key == "kind":
        from icrs.approvals.kinds import KINDS
        if value in KINDS:  # an approval's kind: "Reintegration", "Erasure of a case"…
            return KINDS[value].label
    if key == "type" and (name := _assistance_type_name(value)) is not None:
        return name  # an entitlement's assistance type: "Tailoring kit"
    looked_up = _lookup_label(key, value)
    if looked_up is not None:
        return looked_up
    from icrs.profiling.sections import get_section
    section = get_section(value) if key in ("section", "changed_sections") else None
    if section is not None:
        return section.title
    label = _enum_labels().get(value) or _category_label(value)
    return label if label is not None else value


@lru_cache(maxsize=1)
def _enum_labels():
    """Every labelled enum's value -> label (the enums are all imported by create_app)."""
    from icrs.core.enums import LabelledEnum

    labels, pending = {}, list(LabelledEnum.__subclasses__())
    while pending:
        enum_cls = pending.pop()
        pending.extend(enum_cls.__subclasses__())
        for member in enum_cls:
            labels.setdefault(member.value, member.label)
    return labels


def _lookup_label(key, value):
    from icrs import lookups

    if key == "vocabulary":
        known = {v.key: v.title for v in lookups.vocabularies()}
        return known.get(value)
    if not has_app_context():
        return None
    for vocabulary in LOOKUP_KEYS.get(key, ()):
        if lookups.is_valid(vocabulary, value, allow_retired=True):
            return lookups.label(vocabulary, value)
    return None


def _category_label(code):
    """A service category's name, from the taxonomy (cached for the request)."""
    if not has_app_context() or "_" not in code and not code.isalpha():
        return None
    from icrs.directory.models import TaxonomyTerm
    from icrs.extensions import db

    cache = g.setdefault("_audit_category_names", None)
    if cache is None:
        cache = g._audit_category_names = {
            t.code: t.name for t in db.session.query(TaxonomyTerm).all()}
    return cache.get(code)


def _assistance_type_name(code):
    """An assistance type's name, from the catalogue (cached for the request)."""
    if not has_app_context():
        return None
    from icrs.assistance.models import AssistanceType
    from icrs.extensions import db

    cache = g.setdefault("_audit_assistance_names", None)
    if cache is None:
        cache = g._audit_assistance_names = {
            t.code: t.name for t in db.session.query(AssistanceType).all()}
    return cache.get(code)
