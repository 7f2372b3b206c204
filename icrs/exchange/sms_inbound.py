"""Providers' SMS replies: ``<CODE> <KEYWORD> [reason]``, sent by the gateway to
``POST /sms/inbound`` (CSRF-exempt, no session: the gateway authenticates).

- twilio: form fields From and Body, signed in ``X-Twilio-Signature`` (base64 HMAC-SHA1, keyed
  with ICRS_SMS_AUTH_TOKEN, of the public URL followed by each POST field's name and value in
  name order); the reply is TwiML ``<Response><Message>…</Message></Response>``.
- rapidpro: a flow's "Call webhook" action, JSON with ``contact.urn`` and ``input.text`` (the
  default body) or top-level ``urn`` and ``text``, and the shared secret ICRS_SMS_WEBHOOK_SECRET
  in the ``X-ICRS-Webhook-Secret`` header; the reply is JSON ``{"reply": …}`` that the flow sends
  back with ``@webhook.reply``.

The code is the one-time short code on the referral slip (icrs.exchange.links). Keywords, French
or English, any case, accents optional: OK/ACCEPT/ACCEPTER/OUI, NO/NON/DECLINE/REFUSER <reason>,
START/DEBUT, DONE/FINI/TERMINE, FAIL/ECHEC <note>. Replies carry the referral's reference only.
The sender's number is rate-limited under a keyed hash and never stored or logged.
"""
import base64
import hashlib
import hmac
import logging
import re
import unicodedata
from xml.sax.saxutils import escape

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from icrs.auth.access import public
from icrs.core.errors import DomainError, IllegalTransition
from icrs.core.urls import absolute_url
from icrs.exchange.sms import bilingual
from icrs.extensions import csrf, db, limiter

bp = Blueprint("sms", __name__)
log = logging.getLogger(__name__)

KEYWORDS = {
    "accept": {"OK", "ACCEPT", "ACCEPTE", "ACCEPTER", "OUI", "YES"},
    "decline": {"NO", "NON", "DECLINE", "REFUSE", "REFUSER"},
    "start": {"START", "DEBUT", "COMMENCER"},
    "complete": {"DONE", "FINI", "TERMINE"},
    "not_complete": {"FAIL", "ECHEC"},
}
ACTION_OF = {word: action for action, words in KEYWORDS.items() for word in words}
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")

DONE = {
    "accept": _l("ICRS: referral %(ref)s accepted. Thank you."),
    "decline": _l("ICRS: referral %(ref)s declined. Thank you."),
    "start": _l("ICRS: referral %(ref)s is in service."),
    "complete": _l("ICRS: referral %(ref)s completed. Thank you."),
    "not_complete": _l("ICRS: referral %(ref)s recorded as not completed."),
}
HELP = _l("ICRS: send the code from the slip then OK, NO and a reason, START, DONE, or FAIL and a "
          "note.")
UNKNOWN_CODE = _l("ICRS: this code is unknown, expired or already used. Open the link you "
                  "received, or sign in to ICRS.")
WRONG_STATE = _l("ICRS: this answer does not fit the referral's current state. Sign in to ICRS "
                 "to see it.")
REFUSED = _l("ICRS: this answer could not be recorded. Sign in to ICRS to answer.")


class Reply:
    def __init__(self, code, action, reason):
        self.code, self.action, self.reason = code, action, reason


# --- parsing --------------------------------------------------------------------------------------
def fold(text) -> str:
    """Upper case without accents: "Débuter" → "DEBUTER"."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def parse_reply(text) -> Reply | None:
    """`<CODE> <KEYWORD> [reason …]`, or None when it is not one."""
    words = str(text or "").split()
    if len(words) < 2:
        return None
    code, keyword = fold(words[0]), fold(words[1]).strip(".,!;:")
    action = ACTION_OF.get(keyword)
    if action is None or not CODE.match(code):
        return None
    reason = " ".join(words[2:]).strip()[:500] or None
    return Reply(code, action, reason if action in ("decline", "not_complete") else None)


def answer(text) -> str:
    """Record a reply through the one-time links and say what happened (bilingual)."""
    from icrs.exchange.links import LinkInvalid, answer_by_short_code

    reply = parse_reply(text)
    if reply is None:
        return bilingual(HELP)
    try:
        referral = answer_by_short_code(reply.code, reply.action, reason=reply.reason,
                                        channel="sms")
        db.session.commit()
    except LinkInvalid:
        db.session.rollback()
        return bilingual(UNKNOWN_CODE)
    except (IllegalTransition, DomainError) as exc:
        db.session.rollback()
        return bilingual(WRONG_STATE if _is_state_error(exc) else REFUSED)
    log.info("sms reply recorded: %s on referral %s", reply.action, referral.reference)
    return bilingual(DONE[reply.action], ref=referral.reference)


def _is_state_error(exc):
    from icrs.core.errors import ConflictError

    return isinstance(exc, (IllegalTransition, ConflictError))


# --- gateways -------------------------------------------------------------------------------------
def gateway_name():
    return (current_app.config.get("ICRS_SMS_GATEWAY") or "none").strip().lower()


def twilio_signature(token, url, params) -> str:
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _public_url():
    """The URL the gateway was told to call: on ICRS_BASE_URL, never on the Host header."""
    url = absolute_url(request.endpoint)
    query = request.query_string.decode()
    return f"{url}?{query}" if query else url


def _twilio_authentic():
    token = current_app.config.get("ICRS_SMS_AUTH_TOKEN")
    given = request.headers.get("X-Twilio-Signature", "")
    if not token or not given:
        return False
    expected = twilio_signature(token, _public_url(), request.form.to_dict())
    return hmac.compare_digest(expected, given)


def _rapidpro_authentic():
    secret = current_app.config.get("ICRS_SMS_WEBHOOK_SECRET")
    given = request.headers.get("X-ICRS-Webhook-Secret", "")
    return bool(secret) and hmac.compare_digest(secret.encode(), given.encode())


def _rapidpro_message():
    """(sender, text) from the flow's JSON, or None."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None
    contact, given = data.get("contact") or {}, data.get("input") or {}
    sender = data.get("urn") or (contact.get("urn") if isinstance(contact, dict) else None)
    text = data.get("text") if "text" in data else (
        given.get("text") if isinstance(given, dict) else None)
    if not isinstance(sender, str) or not isinstance(text, str):
        return None
    return sender, text


def _twilio_message():
    sender, text = request.form.get("From"), request.form.get("Body")
    return None if sender is None or text is None else (sender, text)


def sender_key():
    """Rate-limit key: a keyed hash of the sender's number (the number itself is kept nowhere)."""
    message = _twilio_message() if gateway_name() == "twilio" else _rapidpro_message()
    sender = message[0] if message else ""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), sender.encode(),
                      hashlib.sha256).hexdigest()
    return f"sms:{digest[:32]}"


def _reply_limit():
    return current_app.config.get("ICRS_SMS_REPLY_RATE_LIMIT", "20 per hour")


@bp.post("/sms/inbound")
@public
@csrf.exempt
@limiter.limit(_reply_limit, key_func=sender_key,
               deduct_when=lambda response: response.status_code not in (403, 404))
def inbound():
    name = gateway_name()
    if name not in ("twilio", "rapidpro"):
        abort(404)
    if not (_twilio_authentic() if name == "twilio" else _rapidpro_authentic()):
        log.warning("sms webhook refused: bad signature or secret")
        abort(403)
    message = _twilio_message() if name == "twilio" else _rapidpro_message()
    if message is None:
        abort(400)
    text = answer(message[1])
    if name == "twilio":
        twiml = ('<?xml version="1.0" encoding="UTF-8"?>'
                 f"<Response><Message>{escape(text)}</Message></Response>")
        return current_app.response_class(twiml, mimetype="text/xml")
    return jsonify(reply=text)
