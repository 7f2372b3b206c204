"""The structured follow-up visit form (validation only; icrs.people.follow_ups checks again)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from icrs.people.outcomes import (
    ACCEPTANCE_SCALE,
    WHO5_ITEMS,
    WHO5_SCALE,
    Activity,
    Housing,
    IncomeBand,
    Safety,
    StillRunning,
    VisitType,
)

EMPTY = [("", "—")]


def _coded(label, enum, description=None):
    return SelectField(label, choices=EMPTY + enum.choices(), validators=[DataRequired()],
                       description=description or "")


def _scale(label, scale):
    # the values are strings in the form ("0" is a real answer: InputRequired, not DataRequired)
    return SelectField(label, choices=EMPTY + [(str(v), text) for v, text in scale],
                       validators=[InputRequired()])


class VisitForm(FlaskForm):
    visit_date = DateField(_l("Date of the visit"), validators=[DataRequired()])
    visit_type = _coded(_l("Type of visit"), VisitType)
    activity = _coded(_l("Current activity"), Activity)
    income_band = _coded(_l("Monthly income"), IncomeBand)
    business_running = _coded(_l("Business or training still running"), StillRunning,
                              _l("The business started or the training followed with the "
                                 "programme's support."))
    housing = _coded(_l("Housing"), Housing)
    family_acceptance = _scale(_l("Acceptance by the family"), ACCEPTANCE_SCALE)
    community_acceptance = _scale(_l("Acceptance by the community"), ACCEPTANCE_SCALE)
    safety = _coded(_l("Safety concerns"), Safety)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)],
                         description=_l("Optional. What the person said, what was agreed."))

    def visit_data(self) -> dict:
        return {name: self[name].data for name in (
            "visit_date", "visit_type", "activity", "income_band", "business_running",
            "housing", "family_acceptance", "community_acceptance", "safety",
            *(n for n, _ in WHO5_ITEMS))}

    @property
    def who5_fields(self):
        return [self[name] for name, _ in WHO5_ITEMS]


for _name, _label in WHO5_ITEMS:
    setattr(VisitForm, _name, _scale(_label, WHO5_SCALE))
