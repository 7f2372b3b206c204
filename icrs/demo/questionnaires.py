"""Demo questionnaire versions: the follow-up visit form in each state. The shipped file stays
the baseline of the visits recorded by the demo; then a version with a clearer hint is
published (2026120402, the one in use) and a version adding an optional question waits as a
draft (2026120403) for an administrator to preview and publish."""
import io

import openpyxl
import sqlalchemy as sa

from icrs.auth.models import User
from icrs.extensions import db
from icrs.field import versions
from icrs.field.models import QuestionnaireVersion
from icrs.field.questionnaire import path_of

FORM = "follow_up_visit"
HINT = ("Activité principale des 30 derniers jours.", "Main activity of the last 30 days.")
NEW_QUESTION = ("text", "village_news", "Nouvelles du village", "News from the village")


def _variant(version, hint=False, question=False) -> bytes:
    book = openpyxl.load_workbook(path_of(FORM))
    survey, settings = book["survey"], book["settings"]
    header = [cell.value for cell in survey[1]]
    col = {name: header.index(name) + 1 for name in header if name}
    for index in range(2, survey.max_row + 1):
        name = survey.cell(index, col["name"]).value
        if hint and name == "activity":
            survey.cell(index, col["hint::Français (fr)"]).value = HINT[0]
            survey.cell(index, col["hint::English (en)"]).value = HINT[1]
        if question and name == "note":
            survey.insert_rows(index)
            for column, value in zip(("type", "name", "label::Français (fr)",
                                      "label::English (en)"), NEW_QUESTION, strict=True):
                survey.cell(index, col[column]).value = value
            break
    settings_header = [cell.value for cell in settings[1]]
    settings.cell(2, settings_header.index("version") + 1).value = version
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(QuestionnaireVersion)):
        ctx.summary.append("Questionnaires: demo versions already present.")
        return
    admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
    versions.publish(admin, versions.upload(admin, FORM, _variant("2026120402", hint=True),
                                            "follow_up_visit-2026120402.xlsx"))
    versions.upload(admin, FORM, _variant("2026120403", hint=True, question=True),
                    "follow_up_visit-2026120403.xlsx")
    ctx.summary.append("Questionnaires: follow-up visit 2026120402 published, 2026120403 "
                       "waiting as a draft.")
