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
