"""Form fields offering a vocabulary: the choices are read when the form is built (a request),
never at import, and include the record's own retired value so editing it keeps the answer. A
retired value the record did not hold is refused as any unknown choice. A search filter offers
the retired entries too (`retired=True`): old records stay findable."""
from wtforms import SelectField
from wtforms.utils import unset_value

from icrs.core.fields import MultiCheckboxField
from icrs.lookups import registry

BLANK = [("", "—")]


class _LookupChoices:
    def _set_lookup(self, vocabulary, blank, exclude=(), retired=False):
        self.vocabulary, self.blank = vocabulary, blank
        self.exclude, self.retired = tuple(exclude), retired

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if self.retired:
            offered = [c for c in registry.all_choices(self.vocabulary)
                       if c[0] not in self.exclude]
        else:
            keep = None if self.object_data is unset_value else self.object_data
            offered = registry.choices(self.vocabulary, keep, exclude=self.exclude)
        self.choices = (BLANK if self.blank else []) + offered


class LookupSelectField(_LookupChoices, SelectField):
    def __init__(self, label=None, validators=None, vocabulary=None, blank=True, exclude=(),
                 retired=False, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self._set_lookup(vocabulary, blank, exclude, retired)


class LookupMultiField(_LookupChoices, MultiCheckboxField):
    def __init__(self, label=None, validators=None, vocabulary=None, exclude=(), **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self._set_lookup(vocabulary, False, exclude)
