"""The structured follow-up visit form, built from its XLSForm
(icrs/field/forms/follow_up_visit.xlsx, through icrs.field.webform): validation only,
icrs.people.follow_ups checks again. The question names and choice codes are the follow-up's
columns and codes, so the coded answers (`bind::icrs:coded`) go to those plain columns."""
from icrs.field import questionnaire, webform
from icrs.people.outcomes import WHO5_ITEMS

FOLLOW_UP_VISIT = questionnaire.load("follow_up_visit")


class VisitForm(webform.form_class(FOLLOW_UP_VISIT)):
    def visit_data(self) -> dict:
        """The coded answers, by column (the note is apart: it is encrypted)."""
        return {q.name: self[q.name].data for q in self.questionnaire.coded}

    @property
    def who5_fields(self):
        return [self[name] for name, _ in WHO5_ITEMS]
