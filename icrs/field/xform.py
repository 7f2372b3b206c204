"""The XForm (ODK's XML) of an XLSForm, by pyxform's own conversion of the same file that
icrs.field.questionnaire reads: one definition for the web pages and for ODK Collect."""
import functools
import io

from pyxform.errors import PyXFormError
from pyxform.validators.odk_validate import ODKValidateError
from pyxform.xls2xform import convert

from icrs.field.questionnaire import QuestionnaireError, path_of, read


def to_xform(source, validate: bool = False) -> str:
    """The XForm XML of an XLSForm (a path or the .xlsx bytes). `validate` also runs ODK
    Validate (bundled with pyxform; it needs Java). The file is first read as a questionnaire,
    so a form ICRS cannot serve is refused here too (QuestionnaireError)."""
    read(source)
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        return convert(xlsform=source, validate=validate, pretty_print=True, warnings=[]).xform
    except (PyXFormError, ODKValidateError) as exc:
        raise QuestionnaireError(str(exc)) from None


@functools.cache
def xform_of(name: str) -> str:
    """The XForm of a questionnaire shipped with ICRS (icrs/field/forms/<name>.xlsx)."""
    return to_xform(path_of(name))
