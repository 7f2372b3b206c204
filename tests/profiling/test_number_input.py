"""Huge numbers posted to the profile sections: a 400 with a message at the field, no draft."""
import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.profiling.queries import get_draft
from tests.profiling.conftest import COMPLETE, form_data

HUGE = "9" * 400


@pytest.mark.parametrize("code, field, value", [
    ("household", "household_size", HUGE),
    ("household", "children_count", "-" + HUGE),
    ("education", "years_of_schooling", str(2**63)),
    ("association", "year_joined", HUGE),
    ("association", "age_at_joining", HUGE),
])
def test_section_with_a_huge_number(client, login_as, db, caseworker, person, code, field,
                                    value):
    login_as(caseworker)
    audit = db.session.scalar(sa.select(sa.func.max(AuditEntry.seq))) or 0
    response = client.post(f"/people/{person.id}/profile/{code}",
                           data=form_data(dict(COMPLETE[code], **{field: value})))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert f'id="{field}-err"' in text and "This number is too large." in text
    assert get_draft(person) is None
    # the section shown again is one view, nothing else is written
    assert db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.seq > audit)).all() == ["profiling.section_viewed"]
