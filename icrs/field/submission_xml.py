"""A submission instance (the XML that ODK Collect, KoBoCollect or ODK Web Forms send: the form's
primary instance with the answers) read into {question name: value} with the questionnaire's
types, or refused with a SubmissionError.

Read with defusedxml (no DTD, no entities), at most MAX_BYTES. The root element must carry the
questionnaire's form id and version; its children are the questions outside groups, one
element per group holding that group's questions (pyxform's layout), and `meta`
(`instanceID`, required, a `uuid:…`; `deprecatedID` when the submission edits an earlier one).
Elements may be in no namespace, the XForms one or (meta) OpenRosa's. Any other element, a
repeated one, a question element holding elements, a value that does not parse for its type
and an unknown choice code are refused.

Values: integer -> int, decimal -> Decimal, date -> datetime.date (ISO, YYYY-MM-DD),
select_one -> the code, select_multiple -> the list of codes (space-separated in the XML),
text -> str. An empty or absent element (ODK Web Forms leaves out the questions that are not
relevant) is None. Notes are not answers and are not returned. This only reads and types:
relevance, required and constraints are the caller's to check (icrs.field.webform's rules).
"""
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from flask_babel import lazy_gettext as _l

from icrs.field.questionnaire import Question, Questionnaire
from icrs.field.webform import translated

MAX_BYTES = 1024 * 1024
XFORMS = "http://www.w3.org/2002/xforms"
OPENROSA = "http://openrosa.org/xforms"
_NAMESPACES = frozenset({"", XFORMS})
_META_NAMESPACES = frozenset({"", XFORMS, OPENROSA})
_INTEGER = re.compile(r"[+-]?\d{1,10}")
INT_RANGE = range(-2**31, 2**31)   # an XForms int (JavaRosa's, as ODK Collect keeps it)
_DECIMAL = re.compile(r"[+-]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})([eE][+-]?\d{1,2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANCE_ID = re.compile(r"uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                          r"[0-9a-fA-F]{12}")


class SubmissionError(ValueError):
    """The submission cannot be read for this questionnaire; the message says why."""


@dataclass(frozen=True)
class Submission:
    form_id: str
    version: str
    instance_id: str                 # "uuid:…", the submission's identity
    deprecated_id: str | None        # the instanceID this submission replaces (an edit)
    answers: dict = field(default_factory=dict)


def _split(tag: str) -> tuple[str, str]:
    """'{ns}name' -> ('ns', 'name'); 'name' -> ('', 'name')."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _name(element, namespaces=_NAMESPACES) -> str:
    namespace, name = _split(element.tag)
    if namespace not in namespaces:
        raise SubmissionError(_l("Unexpected element %(name)s in the submission.",
                                 name=element.tag))
    return name


def _parse(xml_bytes: bytes):
    if not isinstance(xml_bytes, (bytes, bytearray)):
        raise TypeError("a submission is read from bytes")
    if len(xml_bytes) > MAX_BYTES:
        raise SubmissionError(_l("The submission is larger than %(n)s bytes.", n=MAX_BYTES))
    if not xml_bytes.strip():
        raise SubmissionError(_l("The submission is empty."))
    try:
        return SafeET.fromstring(bytes(xml_bytes), forbid_dtd=True)
    except (ParseError, DefusedXmlException):
        raise SubmissionError(_l("The submission is not well-formed XML, or declares a DTD "
                                 "or entities.")) from None


def _twice(name: str) -> SubmissionError:
    return SubmissionError(_l("The element %(name)s appears twice in the submission.", name=name))


def _leaf_text(element, what: str) -> str:
    if len(element):
        raise SubmissionError(_l("The element %(name)s must hold a value, not other elements.",
                                 name=what))
    return element.text or ""


_REFUSALS = {   # a value that does not parse, by type; %(question)s is the question's label
    "integer": _l("The answer to “%(question)s” must be a whole number."),
    "decimal": _l("The answer to “%(question)s” must be a number."),
    "date": _l("The answer to “%(question)s” must be a date written YYYY-MM-DD."),
    "select_one": _l("The answer to “%(question)s” is not one of its choices."),
    "select_multiple": _l("The answers to “%(question)s” must be different choices of its "
                          "list."),
}


def _parsed(question: Question, value: str):
    """The typed answer, or None when `value` does not parse for the question's type."""
    match question.type:
        case "integer" if _INTEGER.fullmatch(value) and int(value) in INT_RANGE:
            return int(value)
        case "decimal" if _DECIMAL.fullmatch(value):
            return Decimal(value)
        case "date" if _DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None
        case "select_one" if value in question.codes:
            return value
        case "select_multiple":
            codes = value.split()
            if len(set(codes)) == len(codes) and set(codes) <= set(question.codes):
                return codes
    return None


def _value(question: Question, text: str):
    """The typed answer of `question` from its element's text (None when empty)."""
    value = text.strip()
    if question.type == "text":
        return text if value else None
    if not value:
        return None
    answer = _parsed(question, value)
    if answer is None:
        raise SubmissionError(_REFUSALS[question.type] % {"question": translated(question.label)})
    return answer


def _meta(element) -> tuple[str, str | None]:
    found = {}
    for child in element:
        name = _name(child, _META_NAMESPACES)
        if name in found:
            raise _twice("meta/" + name)
        found[name] = child
    ids = [_leaf_text(found[name], f"meta/{name}").strip() if name in found else None
           for name in ("instanceID", "deprecatedID")]
    if not ids[0]:
        raise SubmissionError(_l("The submission has no meta/instanceID."))
    for value in ids:
        if value and not _INSTANCE_ID.fullmatch(value):
            raise SubmissionError(_l("The submission’s instanceID must be a UUID (uuid:…)."))
    return ids[0], ids[1] or None


def _check_identity(root, questionnaire: Questionnaire):
    _name(root)
    form_id, version = root.get("id"), root.get("version")
    if form_id != questionnaire.form_id:
        raise SubmissionError(_l("The submission is for the form %(got)s, not %(form)s.",
                                 got=form_id or "—", form=questionnaire.form_id))
    if version != questionnaire.version:
        raise SubmissionError(_l("The submission is for version %(got)s of %(form)s, not "
                                 "%(version)s.", got=version or "—", form=questionnaire.form_id,
                                 version=questionnaire.version))


def read_submission(xml_bytes: bytes, questionnaire: Questionnaire) -> Submission:
    """The submission (identity, meta and typed answers) of `questionnaire`, or SubmissionError."""
    root = _parse(xml_bytes)
    _check_identity(root, questionnaire)
    groups = {g.name: {q.name: q for q in g.questions} for g in questionnaire.groups if g.name}
    loose = {q.name: q for g in questionnaire.groups if not g.name for q in g.questions}
    texts, seen, meta = {}, set(), None

    def take(element, question, path):
        if path in seen:
            raise _twice(path)
        seen.add(path)
        texts[question.name] = _leaf_text(element, path)

    for child in root:
        namespace, name = _split(child.tag)
        if name == "meta" and namespace in _META_NAMESPACES:
            if meta is not None:
                raise _twice("meta")
            meta = _meta(child)
        elif name in groups and namespace in _NAMESPACES:
            if name in seen:
                raise _twice(name)
            seen.add(name)
            for item in child:
                question = groups[name].get(_name(item))
                path = f"{name}/{_name(item)}"
                if question is None:
                    raise SubmissionError(_l("The form has no question %(name)s.", name=path))
                take(item, question, path)
        elif name in loose and namespace in _NAMESPACES:
            take(child, loose[name], name)
        else:
            raise SubmissionError(_l("The form has no question %(name)s.", name=child.tag))
    if meta is None:
        raise SubmissionError(_l("The submission has no meta/instanceID."))
    answers = {q.name: _value(q, texts.get(q.name, "")) for q in questionnaire.questions
               if q.type != "note"}
    return Submission(questionnaire.form_id, questionnaire.version, *meta, answers=answers)


def submission_answers(xml_bytes: bytes, questionnaire: Questionnaire) -> dict:
    """{question name: typed value or None} of a submission of `questionnaire` (every question
    but the notes), or SubmissionError."""
    return read_submission(xml_bytes, questionnaire).answers
