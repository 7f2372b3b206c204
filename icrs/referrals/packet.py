"""The referral packet: the minimum the caseworker chose to share, frozen at sending.

The provider sees this snapshot and nothing else of the person; it is shown only while the
consent that covers it is in force (checked at every read: icrs.referrals.sharing). A referral
with a survivor code carries the code instead of the case number, the name and the phone.
"""
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.core.vocab import (
    DEFAULT_AGE_BANDS,
    Sex,
    age_band_label,
    language_labels,
)
from icrs.profiling.sections import choices
from icrs.referrals.sharing import covers

# Always in the packet: the provider needs them to talk about the case with the caseworker.
ALWAYS = ("case_number", "sex")
# name -> (label, shared by default)
OPTIONAL = {
    "first_name": (_l("First name"), True),
    "age_band": (_l("Age band"), True),
    "languages": (_l("Languages"), True),
    "phone": (_l("Phone number"), False),
}
# Coded profile answers (never free text, never sensitive sections).
PROFILE_EXCERPTS = {
    "education_level": _l("Education level"),
    "literacy": _l("Literacy"),
    "skills": _l("Skills"),
    "preferred_option": _l("Preferred reintegration option"),
}
# Never in a packet that carries a survivor code: they name or reach the person.
IDENTIFYING = ("case_number", "first_name", "phone")
LABELS = {"case_number": _l("Case number"), "survivor_code": _l("Survivor code"),
          "sex": _l("Sex"), "reason": _l("Reason"),
          "needs": _l("Needs"), **{k: v[0] for k, v in OPTIONAL.items()}, **PROFILE_EXCERPTS}
DEFAULT_SHARE = [k for k, (_, on) in OPTIONAL.items() if on]


def share_choices():
    return [(k, label) for k, (label, _) in OPTIONAL.items()] + list(PROFILE_EXCERPTS.items())


def clean_share(names) -> list:
    allowed = set(OPTIONAL) | set(PROFILE_EXCERPTS)
    return sorted({n for n in names or () if n in allowed})


def age_band(age):
    if age is None:
        return None
    for low, high in DEFAULT_AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return age_band_label(low, high)
    return None


def build_packet(referral, person, profile=None) -> dict:
    """Plain values (codes, not labels) so the snapshot reads the same in any language.
    `referral` needs only share, reason, needs and survivor_code (the referral form's preview
    passes the values not saved yet)."""
    share = set(referral.share or ())
    packet = {"case_number": person.case_number, "sex": getattr(person.sex, "value", person.sex),
              "reason": referral.reason or "", "needs": referral.needs or ""}
    if referral.survivor_code:
        packet["survivor_code"] = referral.survivor_code
        share -= set(IDENTIFYING)
        del packet["case_number"]
    if "first_name" in share:
        packet["first_name"] = person.first_name or ""
    if "age_band" in share:
        packet["age_band"] = age_band(person.age)
    if "languages" in share:
        packet["languages"] = list(person.languages or [])
    if "phone" in share and person.phone:
        packet["phone"] = person.phone
    for name in PROFILE_EXCERPTS:
        if name in share and profile is not None:
            value = getattr(profile, name, None)
            packet[name] = getattr(value, "value", value)
    return packet


def packet_visible(referral) -> bool:
    """The provider may see the packet: consent still active, not hidden, person not erased."""
    if referral.packet_hidden_at is not None or referral.person.is_erased:
        return False
    return covers(referral)


def packet_rows(packet) -> list:
    """[(label, display value)] in a fixed order, for the pages."""
    rows = []
    for name in ("survivor_code", "case_number", "first_name", "sex", "age_band", "languages",
                 "phone", *PROFILE_EXCERPTS, "reason", "needs"):
        if name in (packet or {}) and packet[name] not in (None, "", []):
            rows.append((name, LABELS[name], _display(name, packet[name])))
    return rows


def _display(name, value):
    if name == "sex":
        try:
            return Sex(value).label
        except ValueError:
            return value
    if name == "languages":
        return language_labels(value)
    if name in PROFILE_EXCERPTS:
        return _profile_label(name, value)
    return value


def _profile_label(name, value):
    """Labels from the profiling vocabulary; the code itself when it has none."""
    listed = {"skills": "skill", "preferred_option": "pathway"}.get(name)
    if listed:
        values = value if isinstance(value, list) else [value]
        return ", ".join(lookups.label(listed, v) for v in values)
    vocab = {"education_level": "EDUCATION_LEVEL", "literacy": "LITERACY"}.get(name)
    table = getattr(choices, vocab, None) if vocab else None
    if callable(table):
        table = table()
    labels = dict(table or [])
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    return labels.get(value, value)
