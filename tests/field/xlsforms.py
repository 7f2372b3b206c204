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


def follow_up_visit(version="2026120402", add=(), drop=(), retype=None, drop_codes=(),
                    add_codes=(), form_id=None) -> bytes:
    """The shipped follow-up visit XLSForm changed: `add` survey rows (type, name, fr, en[,
    coded]) inserted before the note, `drop` question names, `retype` {name: type}, `drop_codes` /
    `add_codes` (list, code) choices, another `form_id`, the settings' `version`."""
    from icrs.field.questionnaire import path_of

    book = openpyxl.load_workbook(path_of("follow_up_visit"))
    survey, choices, settings = book["survey"], book["choices"], book["settings"]
    header = [cell.value for cell in survey[1]]
    name_at, type_at = header.index("name") + 1, header.index("type") + 1
    for index in range(survey.max_row, 1, -1):
        name = survey.cell(index, name_at).value
        if name in drop:
            survey.delete_rows(index)
        elif retype and name in retype:
            survey.cell(index, type_at).value = retype[name]
    note_row = next((i for i in range(2, survey.max_row + 1)
                     if survey.cell(i, name_at).value == "note"), survey.max_row + 1)
    coded_at = header.index("bind::icrs:coded") + 1
    for offset, (type_, name, fr, en, *coded) in enumerate(add):
        survey.insert_rows(note_row + offset)
        for column, value in zip((type_at, name_at, 3, 4, coded_at),
                                 (type_, name, fr, en, *coded), strict=False):
            survey.cell(note_row + offset, column).value = value
    for index in range(choices.max_row, 1, -1):
        if (choices.cell(index, 1).value, str(choices.cell(index, 2).value)) in drop_codes:
            choices.delete_rows(index)
    for list_name, code in add_codes:
        choices.append([list_name, code, code, code])
    settings_header = [cell.value for cell in settings[1]]
    settings.cell(2, settings_header.index("version") + 1).value = version
    if form_id:
        settings.cell(2, settings_header.index("form_id") + 1).value = form_id
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
