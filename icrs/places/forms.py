"""Places forms (validation of form input only; the place rules are in services/rules)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional


class CoordinateField(StringField):
    """Decimal degrees, with a point or a comma ("10,59" as French keyboards type it)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip().replace(",", ".")
        if not text:
            self.data = None
            return
        try:
            if len(text) > 16:
                raise ValueError
            self.data = float(text)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter decimal degrees, such as 10.59.")) from None


def _name(label):
    return StringField(label, validators=[DataRequired(), Length(max=120)])


class RegionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=8)],
                       description=_l("2 to 8 capital letters or digits; it begins every case "
                                      "number of the region and cannot change later."))
    pcode = StringField(_l("P-code"), validators=[Optional(), Length(max=12)],
                        description=_l("The OCHA p-code of the region (adm1), such as CM004."))
    name_fr = _name(_l("Name in French"))
    name_en = _name(_l("Name in English"))


class _Located(FlaskForm):
    latitude = CoordinateField(_l("Latitude"), validators=[Optional()])
    longitude = CoordinateField(_l("Longitude"), validators=[Optional()])


class SiteForm(_Located):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=8)],
                       description=_l("2 to 8 capital letters or digits; it is part of every "
                                      "case number of the site and cannot change later."))
    region_id = SelectField(_l("Region"), choices=[], validate_choice=False)
    area_pcode = StringField(_l("Area p-code"), validators=[Optional(), Length(max=12)],
                             description=_l("Optional: the department or district (adm2 or "
                                            "adm3) of the region, such as CM004001."))
    name_fr = _name(_l("Name in French"))
    name_en = _name(_l("Name in English"))


class AreaForm(_Located):
    pcode = StringField(_l("P-code"), validators=[Optional(), Length(max=12)])
    level = SelectField(_l("Level"), choices=[("1", _l("1 – region")),
                                             ("2", _l("2 – department")),
                                             ("3", _l("3 – district"))], default="2")
    parent_pcode = StringField(_l("Parent p-code"), validators=[Optional(), Length(max=12)],
                               description=_l("The area of the level above (none for a "
                                              "region)."))
    name_fr = _name(_l("Name in French"))
    name_en = _name(_l("Name in English"))


class ActiveForm(FlaskForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])


class UploadForm(FlaskForm):
    file = FileField(_l("COD table (CSV)"))


class ApplyForm(FlaskForm):
    digest = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    filename = HiddenField(validators=[Length(max=200)])
