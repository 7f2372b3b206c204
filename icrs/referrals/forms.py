"""Referral forms (validation only; the rules of the lifecycle live in the services)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from icrs.core.fields import BoundedIntegerField, MultiCheckboxField
from icrs.lookups.fields import LookupSelectField
from icrs.people.models import ConsentMethod
from icrs.referrals.packet import DEFAULT_SHARE, share_choices
from icrs.referrals.states import Priority, ReferralStatus


class _ReferralForm(FlaskForm):
    service_id = SelectField(_l("Service"), validators=[DataRequired()], choices=[],
                             validate_choice=False)
    priority = SelectField(_l("Priority"), choices=Priority.choices, default="normal",
                           validators=[DataRequired()],
                           description=_l("Emergency: answer within 24 hours; urgent: 72 hours; "
                                          "normal: 14 days."))
    reason = TextAreaField(_l("Reason for the referral"),
                           validators=[DataRequired(), Length(max=4000)],
                           description=_l("Written for the provider: share only what they need."))
    needs = TextAreaField(_l("Needs to address"), validators=[Optional(), Length(max=4000)])
    complete_by = DateField(_l("Complete by"), validators=[Optional()],
                            description=_l("Leave empty for the default for this priority."))
    share = MultiCheckboxField(_l("Share with the provider"), choices=share_choices(),
                               default=DEFAULT_SHARE,
                               description=_l("The case number, sex, reason and needs are always "
                                              "shared. Share the phone number only if the person "
                                              "agreed to be called."))
    survivor_code = BooleanField(
        _l("Use a survivor code instead of the name (GBV services)"),
        description=_l("The provider then sees a random code instead of the first name, and "
                       "neither the case number nor the phone number."))
    keep_draft = BooleanField(_l("Keep as a draft (do not send yet)"))

    def to_data(self):
        return {"priority": self.priority.data, "reason": self.reason.data,
                "needs": self.needs.data, "complete_by": self.complete_by.data,
                "share": self.share.data, "survivor_code": self.survivor_code.data,
                "consent": consent_data(self)}


class ConsentFields:
    """Sharing consent for one referral (GBV, MHPSS): asked after the details are shown."""

    consent_method = SelectField(_l("How the person consented"),
                                 choices=[("", "—")] + ConsentMethod.choices(),
                                 validators=[Optional()])
    consent_witness = StringField(_l("Witness (for verbal consent)"),
                                  validators=[Optional(), Length(max=200)])
    consent_confirmed = BooleanField(
        _l("I read these details to the person: they agree to share them with this service, "
           "for this referral only"))
    consent_fingerprint = HiddenField()


class ReferralForm(ConsentFields, _ReferralForm):
    pass


class ReferralConsentForm(ConsentFields, FlaskForm):
    version = HiddenField(validators=[InputRequired()])

    def to_data(self):
        return consent_data(self)


def consent_data(form):
    return {"method": form.consent_method.data, "witness_name": form.consent_witness.data,
            "confirmed": form.consent_confirmed.data,
            "fingerprint": form.consent_fingerprint.data}


class VersionedForm(FlaskForm):
    """Carries the version the user saw, so a concurrent change is detected (409)."""

    version = HiddenField(validators=[InputRequired()])

    def validate_version(self, field):
        try:
            int(field.data)
        except (TypeError, ValueError) as exc:
            from wtforms.validators import ValidationError
            raise ValidationError(_l("Reload the page and try again.")) from exc


class SendForm(VersionedForm):
    pass


class WithdrawForm(VersionedForm):
    note = TextAreaField(_l("Why (optional)"), validators=[Optional(), Length(max=4000)])


class AcknowledgeForm(VersionedForm):
    next_step = TextAreaField(_l("Next step"), validators=[Optional(), Length(max=4000)],
                              description=_l("What you plan now: another referral, a follow-up "
                                             "visit …"))


class AcceptForm(VersionedForm):
    pass


class DeclineForm(VersionedForm):
    reason = LookupSelectField(_l("Reason"), validators=[DataRequired()],
                               vocabulary="decline_reason")
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=4000)],
                         description=_l("Required for “Other reason”."))


class ProgressForm(VersionedForm):
    """Start, pause or resume the service."""

    target = SelectField(choices=[(s.value, s.label) for s in (ReferralStatus.IN_SERVICE,
                                                               ReferralStatus.ON_HOLD)],
                         validators=[DataRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=4000)])


class OutcomeForm(VersionedForm):
    target = SelectField(_l("Result"), choices=[
        (ReferralStatus.COMPLETED.value, ReferralStatus.COMPLETED.label),
        (ReferralStatus.NOT_COMPLETED.value, ReferralStatus.NOT_COMPLETED.label)],
        validators=[DataRequired()])
    outcome = LookupSelectField(_l("Outcome"), validators=[DataRequired()],
                                vocabulary="outcome")
    note = TextAreaField(_l("Outcome note"), validators=[Optional(), Length(max=4000)],
                         description=_l("Seen by the caseworker only."))


class ListFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=[("", _l("All"))] + ReferralStatus.choices(),
                         validators=[Optional()])
    overdue = BooleanField(_l("Overdue only"))
    mine = BooleanField(_l("My cases only"))
    page = BoundedIntegerField(validators=[Optional()])

