"""The demo has a transfer in each state: accepted (the case now at Mora, Méri keeps the stub),
rejected with a reason, waiting for the receiving site; a second load adds nothing."""
import sqlalchemy as sa

from icrs.demo.places import site
from icrs.transfers.models import CaseTransfer
from icrs.transfers.states import TransferStatus
from tests.demo.test_protection_demo import demo  # noqa: F401


def test_demo_transfers(demo, app, db):  # noqa: F811
    rows = db.session.scalars(sa.select(CaseTransfer)).all()
    by_status = {t.status: t for t in rows}
    assert set(by_status) == {TransferStatus.ACCEPTED, TransferStatus.REJECTED,
                              TransferStatus.REQUESTED}
    accepted = by_status[TransferStatus.ACCEPTED]
    assert accepted.person.site_id == site("MOR").id == accepted.to_site_id
    assert accepted.from_site_id == site("MER").id
    assert by_status[TransferStatus.REJECTED].comment
    from icrs.demo import DemoContext, transfers
    transfers.load(DemoContext(password="x"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseTransfer)) == 3
