"""The referral slip: a printable page (A5 or A4) in French and English, whatever the language of
the screen, carrying only what the caseworker chose to share (the referral packet), the
reference, the deadlines, the referring caseworker's contact and, when a provider link was just
made, its QR code and short code (they are shown once: only their hashes are stored)."""
import segno
from flask import render_template
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from icrs.audit.services import commit_view, record
from icrs.core.urls import absolute_url
from icrs.exchange.link_views import bp
from icrs.referrals import sensitive
from icrs.referrals.packet import packet_rows, packet_visible
from icrs.referrals.views import load_referral, staff_view

SLIP_LANGUAGES = ("fr", "en")


@bp.route("/referrals/<uuid:referral_id>/slip")
@staff_view
def slip(referral_id):
    return render_slip(load_referral(referral_id))


def render_slip(referral, token=None, code=None):
    """The slip; with a new link's token and code, their QR code and text. Audited: it shows the
    packet."""
    shows = sensitive.shows_service(referral, current_user)
    visible = shows and referral.packet is not None and packet_visible(referral)
    record("exchange.slip_viewed", actor=current_user, obj=referral,
           person=str(referral.person_id), packet_shown=visible, with_link=token is not None)
    commit_view()
    url = absolute_url("links.page", token=token) if token else None
    qr = _qr(url) if url else None
    entry = absolute_url("links.code_entry")
    sides = []
    for language in SLIP_LANGUAGES:
        with force_locale(language):
            sides.append(Markup(render_template(  # noqa: S704 - our own template's output
                "exchange/_slip_side.html", referral=referral, language=language,
                rows=packet_rows(referral.packet) if visible else [], visible=visible,
                service_label=sensitive.service_label(referral, current_user),
                caseworker=referral.created_by, code=code, entry_url=entry,
                has_link=url is not None)))
    return render_template("exchange/slip.html", referral=referral, sides=sides, qr=qr,
                           url=url, code=code)


def _qr(url):
    # segno builds the SVG from our own URL only (no user-supplied markup)
    return Markup(segno.make(url, error="m").svg_inline(scale=3, title="QR"))  # noqa: S704
