"""Questionnaires defined as XLSForm (.xlsx with `survey`, `choices`, `settings` sheets), read
with pyxform into an immutable model: groups of questions with their FR/EN labels, hints and
messages, choices, required, relevance and constraint (parsed by icrs.field.expressions), and
the declared coded column (`bind::icrs:coded` = yes: the answer is kept as a coded plain column
for aggregates). An invalid form is refused with a QuestionnaireError: pyxform's own errors,
an unsupported question type, a coded free-text question, an expression outside the subset or
naming an unknown question.
"""
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from icrs.field.expressions import Expression, ExpressionError, parse

FORMS_DIR = Path(__file__).parent / "forms"
LANGUAGES = ("fr", "en")
# pyxform's type names -> ours
TYPES = {"integer": "integer", "decimal": "decimal", "text": "text", "date": "date",
         "note": "note", "select one": "select_one", "select all that apply": "select_multiple"}
CODED_TYPES = frozenset({"integer", "decimal", "date", "select_one", "select_multiple"})
TRUE = frozenset({"yes", "true", "true()", "1"})
FALSE = frozenset({"", "no", "false", "false()", "0"})
NAMESPACE = 'icrs="urn:icrs:xlsform"'   # settings `namespaces`: the XForm's xmlns:icrs
_LANGUAGE_CODE = re.compile(r"\(([a-z]{2,3})\)\s*$")


class QuestionnaireError(ValueError):
    """The XLSForm cannot be used; the message says why (and where)."""


def _language(column: str) -> str:
    """'Français (fr)' -> 'fr' (XLSForm's recommended "Name (code)")."""
    match = _LANGUAGE_CODE.search(column or "")
    if match is None:
        raise QuestionnaireError(f"Name the language as 'Name (code)', e.g. 'Français (fr)': "
                                 f"{column!r}.")
    return match.group(1)


@dataclass(frozen=True, slots=True)
class Text:
    """A text in several languages: (code, text) pairs, e.g. (("fr", "Oui"), ("en", "Yes"))."""

    values: tuple[tuple[str, str], ...] = ()

    def get(self, language: str | None, default: str = "") -> str:
        by_language = dict(self.values)
        for code in (language, *LANGUAGES):
            if by_language.get(code):
                return by_language[code]
        return next((text for _, text in self.values if text), default)

    def __bool__(self):
        return any(text for _, text in self.values)


def _text(value) -> Text:
    if value is None or value == "":
        return Text()
    if isinstance(value, str):  # no language given: the same text in every language
        return Text(tuple((code, value) for code in LANGUAGES))
    return Text(tuple((_language(lang), str(text)) for lang, text in value.items()))


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    label: Text


@dataclass(frozen=True, slots=True)
class Question:
    name: str
    type: str
    label: Text
    hint: Text = Text()
    choices: tuple[Choice, ...] = ()
    required: bool = False
    required_message: Text = Text()
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Text = Text()
    coded: bool = False
    appearance: str = ""
    group: str | None = None
    list_name: str = ""          # the choices' list (select questions)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self.choices)


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    label: Text
    questions: tuple[Question, ...]
    relevant: Expression | None = None


@dataclass(frozen=True, slots=True)
class Questionnaire:
    form_id: str
    version: str
    title: str
    groups: tuple[Group, ...]          # top-level questions sit in groups named ""

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for group in self.groups for q in group.questions)

    @property
    def coded(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.coded)

    def question(self, name: str) -> Question:
        return {q.name: q for q in self.questions}[name]


# --- reading --------------------------------------------------------------------------------------
def _flag(value, what, where) -> bool:
    text = str(value or "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise QuestionnaireError(f"{where}: {what} must be yes or no, not {value!r}.")


def _expression(source, what, where) -> Expression | None:
    if not source or not str(source).strip():
        return None
    try:
        return parse(str(source))
    except ExpressionError as exc:
        raise QuestionnaireError(f"{where}: {what} {source!r}: {exc}") from None


def _question(item: dict, group: str | None) -> Question:
    name = item["name"]
    where = f"Question {name!r}"
    kind = TYPES.get(item.get("type"))
    if kind is None:
        raise QuestionnaireError(f"{where}: the type {item.get('type')!r} is not supported "
                                 f"(use {', '.join(sorted(set(TYPES.values())))}).")
    bind = item.get("bind", {})
    coded = _flag(bind.get("icrs:coded"), "icrs:coded", where)
    if coded and kind not in CODED_TYPES:
        raise QuestionnaireError(f"{where}: a {kind} question cannot be a coded column "
                                 "(free text or a note is never coded).")
    choices = tuple(Choice(str(c["name"]), _text(c.get("label")))
                    for c in item.get("choices", ()))
    return Question(
        name=name, type=kind, label=_text(item.get("label")), hint=_text(item.get("hint")),
        choices=choices, required=_flag(bind.get("required"), "required", where),
        required_message=_text(bind.get("jr:requiredMsg")),
        relevant=_expression(bind.get("relevant"), "relevant", where),
        constraint=_expression(bind.get("constraint"), "constraint", where),
        constraint_message=_text(bind.get("jr:constraintMsg")),
        coded=coded, appearance=str(item.get("control", {}).get("appearance", "")),
        group=group, list_name=str(item.get("list_name") or item.get("itemset") or ""))


def _groups(children: list) -> tuple[Group, ...]:
    groups, loose = [], []
    for item in children:
        if item.get("type") == "group" and item.get("name") == "meta":
            continue  # pyxform's instanceID
        if item.get("type") == "group":
            if loose:
                groups.append(Group("", Text(), tuple(loose)))
                loose = []
            where = f"Group {item['name']!r}"
            nested = [c for c in item.get("children", ()) if c.get("type") == "group"]
            if nested:
                raise QuestionnaireError(f"{where}: groups inside groups are not supported.")
            groups.append(Group(item["name"], _text(item.get("label")),
                                tuple(_question(c, item["name"]) for c in item["children"]),
                                _expression(item.get("bind", {}).get("relevant"), "relevant",
                                            where)))
        elif item.get("type") == "repeat":
            raise QuestionnaireError(f"Repeat {item['name']!r}: repeats are not supported.")
        else:
            loose.append(_question(item, None))
    if loose:
        groups.append(Group("", Text(), tuple(loose)))
    return tuple(groups)


def _check_references(questionnaire: Questionnaire):
    known = {q.name for q in questionnaire.questions}
    checks = [(f"Group {g.name!r}", "relevant", g.relevant) for g in questionnaire.groups]
    for q in questionnaire.questions:
        checks += [(f"Question {q.name!r}", "relevant", q.relevant),
                   (f"Question {q.name!r}", "constraint", q.constraint)]
    for where, what, expression in checks:
        if expression is None:
            continue
        unknown = sorted(expression.references - known)
        if unknown:
            raise QuestionnaireError(f"{where}: {what} names unknown question(s) "
                                     f"{', '.join(unknown)}.")
        if what == "relevant" and expression.uses_current:
            raise QuestionnaireError(f"{where}: '.' is for constraints only.")


def workbook_json(source) -> dict:
    """pyxform's JSON form of the XLSForm (a path or the .xlsx bytes); its errors become ours."""
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        workbook = get_xlsform(xlsform=source)
        return workbook_to_json(workbook_dict=workbook,
                                fallback_form_name=workbook.fallback_form_name, warnings=[])
    except PyXFormError as exc:
        raise QuestionnaireError(str(exc)) from None


def read(source) -> Questionnaire:
    """The questionnaire of an XLSForm (a path or the .xlsx bytes), or QuestionnaireError."""
    data = workbook_json(source)
    if not data.get("version"):
        raise QuestionnaireError("The settings sheet must give the form's version.")
    questionnaire = Questionnaire(form_id=str(data["id_string"]), version=str(data["version"]),
                                  title=str(data.get("title") or data["id_string"]),
                                  groups=_groups(data.get("children", [])))
    _check_references(questionnaire)
    if questionnaire.coded and "icrs=" not in str(data.get("namespaces") or ""):
        raise QuestionnaireError(f"The settings sheet must declare the namespace of "
                                 f"bind::icrs:coded: namespaces = {NAMESPACE}.")
    return questionnaire


def path_of(name: str) -> Path:
    return FORMS_DIR / f"{name}.xlsx"


@functools.cache
def load(name: str) -> Questionnaire:
    """A questionnaire shipped with ICRS (icrs/field/forms/<name>.xlsx), read once."""
    return read(path_of(name))
