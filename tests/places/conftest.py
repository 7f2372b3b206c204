from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def cod_csv():
    return (DATA / "cod_cmr_en.csv").read_bytes()


def audit_actions(db):
    import sqlalchemy as sa

    from icrs.audit.models import AuditEntry
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.seq)))


@pytest.fixture(autouse=True)
def english_outside_requests(app, monkeypatch):
    """Services and the command line speak the installation's language: English here, so the
    messages can be compared (pages follow the user's locale, set to English in these tests)."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")
