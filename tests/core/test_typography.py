"""French typography in the catalogue (i18n_check), sheet names, chart label widths and
organisation names in the reader's language."""
from pathlib import Path

from flask_babel import force_locale

from icrs.dashboard import charts
from icrs.dashboard.exports import sheet_names
from icrs.i18n_check import french_typography, typography_problems

FR = Path(__file__).parents[2] / "icrs" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def test_the_french_catalogue_follows_french_typography():
    assert french_typography(FR) == []


def test_typography_check_finds_what_the_issue_saw():
    assert typography_problems("Étape: Suivi")
    assert typography_problems("Étape : Suivi")  # an ordinary space breaks the line
    assert typography_problems("“Enregistré”")
    assert typography_problems("« Enregistré »")
    assert typography_problems("Êtes-vous là?")
    assert not typography_problems("Étape\u00a0: Suivi\u202f; à 10:30 sur https://x.example")
    assert not typography_problems("«\u00a0Enregistré\u00a0»\u202f? oui\u202f!")


def test_sheet_names_cut_at_a_word_unique_and_clean():
    names = sheet_names(["About", "1 Personnes par étape de réintégration et par sexe",
                         "2 Personnes par étape de réintégration et par sexe", "a/b:c?",
                         "about", "x" * 40])
    assert all(len(n) <= 31 for n in names)
    assert names[1] == "1 Personnes par étape de…"
    assert names[3] == "a-b-c-" and names[4] == "about (2)"
    assert len({n.casefold() for n in names}) == len(names)


def test_chart_label_column_fits_the_longest_label():
    short = charts._label_width(["Nord"])
    long = charts._label_width(["Enfants associés aux forces et groupes armés"])
    assert short == charts.MIN_LABEL_W and long > 250
    assert charts.text_width("MMMM") > charts.text_width("iiii")
    fitted = charts._fit("Enfants associés aux forces et groupes armés et autres", 200)
    assert fitted.endswith("…") and charts.text_width(fitted) <= 200


def test_organisation_name_follows_the_reader(app, db, make):
    org = make.organisation(name="IOM – International Organization for Migration")
    org.name_fr, org.name_en = "OIM – Organisation internationale pour les migrations", None
    for lang, expected in (("fr", "OIM – Organisation internationale pour les migrations"),
                           ("en", "IOM – International Organization for Migration")):
        with app.test_request_context(), force_locale(lang):
            assert org.display_name == expected and str(org) == expected
