"""Small XLSForms written in memory for the tests (openpyxl, as scripts/field/make_xlsforms.py)."""
import io

import openpyxl

FR, EN = "label::Français (fr)", "label::English (en)"
SURVEY = ["type", "name", FR, EN, "required", "relevant", "constraint", "appearance",
          "constraint_message::Français (fr)", "constraint_message::English (en)",
          "required_message::Français (fr)", "required_message::English (en)",
          "bind::icrs:coded"]
CHOICES = [["list_name", "name", FR, EN],
           ["yn", "yes", "Oui", "Yes"], ["yn", "no", "Non", "No"],
           ["crops", "maize", "Maïs", "Maize"], ["crops", "beans", "Haricots", "Beans"],
           ["crops", "cassava", "Manioc", "Cassava"]]
SETTINGS = [["form_id", "version", "form_title", "default_language", "namespaces"],
            ["test_form", "2026120401", "Essai", "Français (fr)", 'icrs="urn:icrs:xlsform"']]


def row(type_, name, fr=None, en=None, **bind):
    """A survey row; `bind` keys are the SURVEY columns without their language suffix."""
    values = {"type": type_, "name": name, FR: name if fr is None else fr,
              EN: name if en is None else en}
    for key, value in bind.items():
        column = {"constraint_fr": "constraint_message::Français (fr)",
                  "constraint_en": "constraint_message::English (en)",
                  "required_fr": "required_message::Français (fr)",
                  "required_en": "required_message::English (en)",
                  "coded": "bind::icrs:coded"}.get(key, key)
        values[column] = value
    return [values.get(column, "") for column in SURVEY]


def xlsx(rows, choices=CHOICES, settings=SETTINGS, header=SURVEY) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, sheet_rows in (("survey", [header, *rows]), ("choices", choices),
                              ("settings", settings)):
        sheet = book.create_sheet(title)
        for values in sheet_rows:
            sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FARM = [
    row("select_one yn", "farms", "Cultive ?", "Farms?", required="yes", coded="yes"),
    row("select_multiple crops", "crops", "Cultures", "Crops", required="yes",
        relevant="${farms} = 'yes'", coded="yes",
        required_fr="Choisissez au moins une culture.", required_en="Choose at least one crop."),
    row("integer", "fields", "Champs", "Fields", relevant="selected(${crops}, 'maize')",
        constraint=". >= 1 and . <= 20", constraint_fr="Entre 1 et 20.",
        constraint_en="From 1 to 20.", coded="yes"),
    row("decimal", "hectares", "Hectares", "Hectares", constraint=". > 0"),
    row("date", "since", "Depuis", "Since"),
    row("text", "remark", "Remarque", "Remark"),
    row("note", "thanks", "Merci", "Thank you"),
]
