"""The server-rendered web form of a questionnaire (icrs.field.questionnaire): a WTForms class
with one field per question, labels and choices in the user's language (flask_babel's current
locale), validated like ODK Collect would: relevance first (a question that is not relevant is
dropped, its answer never kept, its required and constraint not checked), then required (the
XLSForm's own message in FR/EN, else a translated default), the choice, the constraint (the
XLSForm's message, else a translated default). No JavaScript: relevance is evaluated on submit.
"""
import functools

from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import StopValidation, ValidationError

from icrs.field.questionnaire import Question, Questionnaire, Text

EMPTY = [("", "—")]
TEXT_MAX = 5000


def language() -> str | None:
    locale = get_locale()
    return locale.language if locale is not None else None


def translated(text: Text) -> LazyString:
    """The text in the language of the request that shows it."""
    return LazyString(lambda: text.get(language()))


def _empty(field) -> bool:
    """Nothing typed or chosen (a value typed but not understood is not empty: its error stays)."""
    if field.raw_data is None:
        return field.data is None or field.data == "" or field.data == []
    return not any(str(value).strip() for value in field.raw_data)


class Answered:
    """Required (when relevant): the XLSForm's message, else the default. Not required: an empty
    answer ends the checks (like wtforms' Optional)."""

    def __init__(self, question: Question):
        self.question = question
        self.field_flags = {"required": True} if question.required else {}

    def __call__(self, form, field):
        if not _empty(field):
            return
        field.errors[:] = []
        if self.question.required:
            message = self.question.required_message.get(language()) or \
                _l("This field is required.")
            raise StopValidation(message)
        raise StopValidation()


class Satisfies:
    """The question's constraint, `.` being this answer and ${q} the form's other answers."""

    def __init__(self, question: Question):
        self.question = question

    def __call__(self, form, field):
        if not self.question.constraint.evaluate(form.answers_so_far(), field.data):
            raise ValidationError(self.question.constraint_message.get(language()) or
                                  _l("This answer does not meet the questionnaire’s rule."))


def short_text(form, field):
    if field.data and len(field.data) > TEXT_MAX:
        raise ValidationError(_l("Keep it under %(n)s characters.", n=TEXT_MAX))


def _field(question: Question):
    validators = [Answered(question)]
    if question.type == "text":
        validators.append(short_text)
    if question.constraint is not None:
        validators.append(Satisfies(question))
    options = {"label": translated(question.label), "validators": validators,
               "description": translated(question.hint) if question.hint else ""}
    choices = [(choice.code, translated(choice.label)) for choice in question.choices]
    match question.type:
        case "select_one":
            return SelectField(choices=EMPTY + choices, **options)
        case "select_multiple":
            return SelectMultipleField(choices=choices, widget=widgets.ListWidget(
                prefix_label=False), option_widget=widgets.CheckboxInput(), **options)
        case "integer":
            return IntegerField(**options)
        case "decimal":
            return DecimalField(**options)
        case "date":
            return DateField(**options)
        case "text" if "multiline" in question.appearance:
            return TextAreaField(**options)
        case "text":
            return StringField(**options)
    raise ValueError(question.type)  # pragma: no cover - the questionnaire refuses the others


class QuestionnaireForm(FlaskForm):
    """The base of the built classes: `answers()` after `validate()`."""

    questionnaire: Questionnaire = None

    def text(self, text: Text) -> str:
        return text.get(language())

    def _raw_answers(self) -> dict:
        return {q.name: self[q.name].data for q in self.questionnaire.questions
                if q.type != "note"}

    def relevant_names(self) -> frozenset[str]:
        """The questions relevant with these answers, in order: an answer to a question that is
        not relevant counts as empty for the questions after it."""
        answers, relevant = self._raw_answers(), set()
        for group in self.questionnaire.groups:
            shown = group.relevant is None or group.relevant.evaluate(answers)
            for q in group.questions:
                if shown and (q.relevant is None or q.relevant.evaluate(answers)):
                    relevant.add(q.name)
                elif q.name in answers:
                    answers[q.name] = None
        return frozenset(relevant)

    def answers_so_far(self) -> dict:
        relevant = self._relevant if self._relevant is not None else self.relevant_names()
        return {name: (value if name in relevant else None)
                for name, value in self._raw_answers().items()}

    def validate(self, extra_validators=None):
        self._relevant = self.relevant_names()
        super().validate(extra_validators)
        for q in self.questionnaire.questions:
            if q.type != "note" and q.name not in self._relevant:
                self[q.name].errors = []
                self[q.name].data = None
        return not any(field.errors for field in self)

    def answers(self) -> dict:
        """The answers of the relevant questions (the others are dropped), by question name."""
        relevant = self.relevant_names()
        return {name: value for name, value in self._raw_answers().items() if name in relevant}

    def __init__(self, *args, **kwargs):
        self._relevant = None
        super().__init__(*args, **kwargs)


@functools.cache
def form_class(questionnaire: Questionnaire, base=QuestionnaireForm) -> type:
    """A WTForms class for `questionnaire` (subclass it to add methods)."""
    fields = {q.name: _field(q) for q in questionnaire.questions if q.type != "note"}
    return type(f"{questionnaire.form_id.title().replace('_', '')}Form", (base,),
                {"questionnaire": questionnaire, **fields})
