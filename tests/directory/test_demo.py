"""Demo directory: idempotent, provider logins own services, export valid HSDS."""
import sqlalchemy as sa

from icrs.demo import DemoContext, accounts, directory, places
from icrs.directory.exporter import export_directory
from icrs.directory.models import Organisation, Service
from tests.directory.hsds_check import assert_valid


def _load(ctx):
    for part in (places, accounts, directory):
        part.load(ctx)


def test_demo_directory(db):
    _load(DemoContext(password="demo-password-1"))
    db.session.commit()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Service))
    assert count >= 55
    ctx = DemoContext(password="demo-password-1")
    _load(ctx)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == count
    assert any("(0 new)" in line for line in ctx.summary if line.startswith("Directory"))
    for name, _kind, _regions in accounts.PROVIDER_ORGS:
        org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
        assert len(org.services) >= 3
    data = export_directory()
    for service in data["services"]:
        assert_valid(service, "service")
    for org in data["organizations"]:
        assert_valid(org, "organization")
