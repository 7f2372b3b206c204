"""The referral slip: both languages, the packet only, audited."""
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.extensions import db as _db
from tests.conftest import signed_in


def test_slip_shows_the_packet_only_in_both_languages(app, world, sent):
    referral = sent(share=["age_band"])  # the first name is not shared
    client = signed_in(app, world.caseworker)
    response = client.get(f"/referrals/{referral.id}/slip")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Referral slip" in html and "Fiche d’orientation" in html
    assert referral.reference in html and "Wants to train as a tailor" in html
    assert referral.person.first_name not in html and "Zoubairou" not in html
    assert referral.person.phone not in html
    assert "@page" not in html and "slip.css" in html
    assert "<svg" not in html  # no link made: no QR code
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "exchange.slip_viewed")) == 1


def test_supervisor_prints_monitoring_does_not(app, world, sent, make):
    referral = sent()
    assert signed_in(app, world.supervisor).get(f"/referrals/{referral.id}/slip") \
        .status_code == 200
    monitoring = make.user("monitoring", locale="en")
    _db.session.commit()
    assert signed_in(app, monitoring).get(f"/referrals/{referral.id}/slip").status_code \
        in (403, 404)
