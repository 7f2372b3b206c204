"""FHIR R4 resources built by hand (no runtime dependency on a FHIR library): a referral as a
`ServiceRequest` (what is asked, of whom, by whom, by when, about whom as far as the packet
allows) and a `Task` (where the provider is with it, DESIGN §4's status mapping).

The subject is a contained `Patient` carrying only what the shared packet holds: sex always,
the case number (or the survivor code instead), the first name, the age band, the languages and
the phone when the caseworker shared them. When the packet is no longer visible (consent
withdrawn, person erased), the subject is a display text and nothing else.
"""
from flask_babel import force_locale

from icrs import lookups
from icrs.core.urls import absolute_url
from icrs.referrals.packet import PROFILE_EXCERPTS
from icrs.referrals.states import FHIR_TASK_STATUS, Priority, ReferralStatus

S = ReferralStatus
FHIR_JSON = "application/fhir+json"

# Referral status -> ServiceRequest.status (the request, not the work on it)
SERVICE_REQUEST_STATUS = {
    S.DRAFT: "draft", S.SENT: "active", S.ACCEPTED: "active", S.IN_SERVICE: "active",
    S.ON_HOLD: "on-hold", S.COMPLETED: "completed", S.NOT_COMPLETED: "completed",
    S.DECLINED: "revoked", S.WITHDRAWN: "revoked",
}
PRIORITY = {Priority.EMERGENCY: "stat", Priority.URGENT: "urgent", Priority.NORMAL: "routine"}
GENDER = {"male": "male", "female": "female"}
# the statuses a partner may set through the API (the provider's moves)
PARTNER_SETTABLE = {FHIR_TASK_STATUS[s]: s for s in (
    S.ACCEPTED, S.DECLINED, S.IN_SERVICE, S.ON_HOLD, S.COMPLETED, S.NOT_COMPLETED)}


def base_url():
    """The API's base, e.g. https://icrs.example.org/fhir/r4/ (ends with a slash)."""
    return absolute_url("fhir.metadata").removesuffix("metadata")


def system(name):
    """ICRS's own code systems and identifiers, under the instance's base URL."""
    return base_url() + name


def _instant(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _org(organisation):
    return {"reference": f"Organization/{organisation.id}", "display": organisation.name}


def _requester(referral):
    organisation = getattr(referral.created_by, "organisation", None)
    if organisation is not None:
        return _org(organisation)
    return {"display": "CNDDR"}  # the programme's caseworkers have no directory organisation


def _clean(resource):
    """FHIR forbids empty values: drop None, empty strings, lists and objects."""
    if isinstance(resource, dict):
        out = {k: _clean(v) for k, v in resource.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(resource, list):
        return [v for v in (_clean(x) for x in resource) if v not in (None, "", [], {})]
    return resource


# --- the subject: the packet, nothing more ------------------------------------------------------
def patient(packet):
    """A contained Patient from the shared packet only."""
    identifiers = []
    if packet.get("case_number"):
        identifiers.append({"system": system("case-number"), "value": packet["case_number"]})
    if packet.get("survivor_code"):
        identifiers.append({"system": system("survivor-code"), "value": packet["survivor_code"]})
    resource = {
        "resourceType": "Patient", "id": "subject", "identifier": identifiers,
        "gender": GENDER.get(packet.get("sex"), "unknown"),
        "name": [{"given": [packet["first_name"]]}] if packet.get("first_name") else [],
        "telecom": [{"system": "phone", "value": packet["phone"]}] if packet.get("phone") else [],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": code}]}}
                          for code in packet.get("languages") or []],
    }
    if packet.get("age_band"):
        resource["extension"] = [{"url": system("StructureDefinition/age-band"),
                                  "valueString": str(packet["age_band"])}]
    return resource


def _packet_extensions(packet):
    out = []
    for name in PROFILE_EXCERPTS:
        value = packet.get(name)
        if value in (None, "", []):
            continue
        values = value if isinstance(value, list) else [value]
        out += [{"url": system(f"StructureDefinition/{name.replace('_', '-')}"),
                 "valueCode": str(v)} for v in values]
    return out


# --- the resources ------------------------------------------------------------------------------
def service_request(referral, packet=None):
    """`packet`: the shared packet when the partner may see it, else None."""
    service = referral.service
    category = service.category
    resource = {
        "resourceType": "ServiceRequest", "id": str(referral.id),
        "meta": {"versionId": str(referral.version)},
        "identifier": [{"system": system("referral"), "value": referral.reference}],
        "status": SERVICE_REQUEST_STATUS[referral.status], "intent": "order",
        "priority": PRIORITY[referral.priority],
        "category": [{"coding": [{"system": system("service-category"), "code": category.code,
                                  "display": category.name_en}]}] if category else [],
        "code": {"coding": [{"system": system("service"), "code": str(service.id),
                             "display": service.name}], "text": service.name},
        "requester": _requester(referral),
        "performer": [_org(referral.organisation)],
        "authoredOn": _instant(referral.sent_at),
        "occurrencePeriod": {"start": _instant(referral.sent_at),
                             "end": referral.complete_by.isoformat()
                             if referral.complete_by else None},
    }
    if packet is None:
        resource["subject"] = {"display": "Withheld: the consent to share no longer covers "
                                          "this referral"}
        return _clean(resource)
    resource["contained"] = [patient(packet)]
    resource["subject"] = {"reference": "#subject"}
    resource["reasonCode"] = [{"text": packet["reason"]}] if packet.get("reason") else []
    resource["note"] = [{"text": packet["needs"]}] if packet.get("needs") else []
    resource["extension"] = _packet_extensions(packet)
    return _clean(resource)


def task(referral):
    """The provider's work on the referral. No packet data: only codes, dates and references."""
    status = referral.status
    resource = {
        "resourceType": "Task", "id": str(referral.id),
        "meta": {"versionId": str(referral.version)},
        "identifier": [{"system": system("referral"), "value": referral.reference}],
        "basedOn": [{"reference": f"ServiceRequest/{referral.id}"}],
        "status": FHIR_TASK_STATUS[status], "intent": "order",
        "priority": PRIORITY[referral.priority],
        "businessStatus": {"coding": [{"system": system("referral-status"),
                                       "code": status.value}], "text": _english(status.label)},
        "code": {"coding": [{"system": "http://hl7.org/fhir/CodeSystem/task-code",
                             "code": "fulfill"}]},
        "focus": {"reference": f"ServiceRequest/{referral.id}"},
        "requester": _requester(referral),
        "owner": _org(referral.organisation),
        "authoredOn": _instant(referral.sent_at),
        "lastModified": _instant(referral.finished_at or referral.responded_at
                                 or referral.sent_at),
        "executionPeriod": {"start": _instant(referral.accepted_at),
                            "end": _instant(referral.finished_at)},
        "restriction": {"period": {"end": _instant(referral.accept_by)}}
        if status == S.SENT else None,
    }
    if status == S.DECLINED and referral.decline_reason:
        resource["statusReason"] = _coded("decline-reason", "decline_reason",
                                          referral.decline_reason)
    if referral.outcome is not None:
        resource["output"] = [{
            "type": {"coding": [{"system": system("output"), "code": "outcome"}]},
            "valueCodeableConcept": _coded("outcome", "outcome", referral.outcome.value)}]
    return _clean(resource)


def _english(label):
    with force_locale("en"):
        return str(label)


def _coded(system_name, vocabulary, code):
    return {"coding": [{"system": system(system_name), "code": code,
                        "display": lookups.label_in(vocabulary, code, "en")}]}


def bundle(resources, total, self_url, next_url=None):
    """A searchset Bundle of one page."""
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    return {"resourceType": "Bundle", "type": "searchset", "total": total, "link": links,
            "entry": [{"fullUrl": base_url() + f"{r['resourceType']}/{r['id']}", "resource": r,
                       "search": {"mode": "match"}} for r in resources]}


def operation_outcome(code, diagnostics, severity="error"):
    """code: an IssueType (invalid, security, not-found, conflict, not-supported …)."""
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": severity, "code": code, "diagnostics": str(diagnostics)}]}


def capability_statement(now):
    return {"resourceType": "CapabilityStatement", "status": "active", "date": _instant(now),
            "kind": "instance", "fhirVersion": "4.0.1", "format": ["json"],
            "implementation": {"description": "ICRS referrals for partner organisations",
                               "url": base_url()},
            "rest": [{"mode": "server", "resource": [
                {"type": "ServiceRequest", "interaction": [{"code": "read"},
                                                           {"code": "search-type"}]},
                {"type": "Task", "interaction": [{"code": "read"}, {"code": "search-type"},
                                                 {"code": "update"}, {"code": "patch"}]}]}]}


# --- reading a partner's Task update ------------------------------------------------------------
class TaskUpdateError(Exception):
    """`code`: the HTTP status (400 invalid, 422 unknown status)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def read_task_update(body, referral_id):
    """{status, reason, outcome, note} from a Task (PUT) or part of one (PATCH, JSON merge)."""
    if not isinstance(body, dict):
        raise TaskUpdateError(400, "the body must be a JSON object (a Task)")
    if body.get("resourceType", "Task") != "Task":
        raise TaskUpdateError(400, "the body must be a Task")
    if "id" in body and str(body["id"]) != str(referral_id):
        raise TaskUpdateError(400, "the Task id does not match the URL")
    code = body.get("status")
    if not isinstance(code, str) or not code:
        raise TaskUpdateError(400, "Task.status is required")
    if code not in PARTNER_SETTABLE and code not in FHIR_TASK_STATUS.values():
        raise TaskUpdateError(422, f"unknown or unsupported Task status {code[:40]!r}")
    return {"status": ReferralStatus.from_fhir(code),
            "reason": _first_code(body.get("statusReason")),
            "outcome": _output_outcome(body.get("output")) or _first_code(
                body.get("statusReason") if code == "failed" else None),
            "note": _note(body.get("note"))}


def _first_code(concept):
    if concept is None:
        return None
    if not isinstance(concept, dict):
        raise TaskUpdateError(400, "a CodeableConcept must be a JSON object")
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and isinstance(coding.get("code"), str):
            return coding["code"]
    return None


def _output_outcome(outputs):
    if outputs is None:
        return None
    if not isinstance(outputs, list):
        raise TaskUpdateError(400, "Task.output must be a list")
    for output in outputs:
        if isinstance(output, dict) and "valueCodeableConcept" in output:
            return _first_code(output["valueCodeableConcept"])
    return None


def _note(notes):
    if notes is None:
        return None
    if not isinstance(notes, list) or not all(isinstance(n, dict) for n in notes):
        raise TaskUpdateError(400, "Task.note must be a list of Annotations")
    texts = [n.get("text") for n in notes if isinstance(n.get("text"), str)]
    return "\n".join(texts) or None
