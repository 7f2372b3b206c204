"""The structured follow-up visit form, built from its XLSForm: the version in use
(icrs.field.versions: the latest published upload, else icrs/field/forms/follow_up_visit.xlsx),
through icrs.field.webform; validation only, icrs.people.follow_ups checks again. The question
names and choice codes are the follow-up's columns and codes, so the coded answers
(`bind::icrs:coded`) go to those plain columns, and an uploaded version may only use columns and
codes the follow-up can keep (the store registered below)."""
from icrs.field import compat, questionnaire, versions, webform
from icrs.people.follow_ups import ENUM_ITEMS, SCALE_ITEMS
from icrs.people.outcomes import WHO5_ITEMS

FORM_ID = "follow_up_visit"
FOLLOW_UP_VISIT = questionnaire.load(FORM_ID)


def store() -> compat.Store:
    """The follow-up's columns: an enum's codes, a scale's numbers, the date; and its note."""
    columns = {"visit_date": None,
               **{name: frozenset(member.value for member in enum)
                  for name, enum in ENUM_ITEMS.items()},
               **{name: frozenset(str(n) for n in range(low, high + 1))
                  for name, (low, high) in SCALE_ITEMS.items()}}
    return compat.Store(columns=columns, needed=frozenset({"note"}))


versions.register(FORM_ID, store)


class VisitMethods(webform.QuestionnaireForm):
    def visit_data(self) -> dict:
        """The coded answers, by column (the note is apart: it is encrypted)."""
        return {q.name: self[q.name].data for q in self.questionnaire.coded}

    @property
    def form_version(self) -> str:
        return self.questionnaire.version

    @property
    def who5_fields(self):
        return [self[name] for name, _ in WHO5_ITEMS if name in self]


VisitForm = webform.form_class(FOLLOW_UP_VISIT, base=VisitMethods)   # the shipped version


def visit_form(**kwargs):
    """The visit form of the version in use."""
    return webform.form_class(versions.current(FORM_ID), base=VisitMethods)(**kwargs)
