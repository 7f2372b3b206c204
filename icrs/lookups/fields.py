"""Form fields offering a vocabulary: the choices are read when the form is built (a request),
never at import, and include the record's own retired value so editing it keeps the answer. A
retired value the record did not hold is refused as any unknown choice."""
from wtforms import SelectField
from wtforms.utils import unset_value

from icrs.core.fields import MultiCheckboxField
from icrs.lookups import registry

BLANK = [("", "—")]


class _LookupChoices:
    def _set_lookup(self, vocabulary, blank):
        self.vocabulary, self.blank = vocabulary, blank

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        keep = None if self.object_data is unset_value else self.object_data
        self.choices = (BLANK if self.blank else []) + registry.choices(self.vocabulary, keep)


class LookupSelectField(_LookupChoices, SelectField):
    def __init__(self, label=None, validators=None, vocabulary=None, blank=True, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self._set_lookup(vocabulary, blank)


class LookupMultiField(_LookupChoices, MultiCheckboxField):
    def __init__(self, label=None, validators=None, vocabulary=None, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self._set_lookup(vocabulary, False)
