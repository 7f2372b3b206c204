"""SMS gateways behind one small interface, chosen by ICRS_SMS_GATEWAY:

- ``none`` (default): sends nothing;
- ``twilio``: the Twilio Messages API, which many gateways also speak:
  ``POST {base}/2010-04-01/Accounts/{sid}/Messages.json`` (form fields To, From, Body; HTTP basic
  auth sid:token; answers 201 with the message's ``sid``);
- ``rapidpro``: RapidPro / TextIt API v2, ``POST {base}/api/v2/broadcasts.json`` with
  ``Authorization: Token …`` and JSON ``{"urns": ["tel:+237…"], "text": …}`` (answers 201 with the
  broadcast's ``id``).

Every failure is one exception, `SmsError`, whose message names the HTTP status or the network
error only: never the text, the number or a credential. Credentials only travel over HTTPS (plain
HTTP is allowed to a loopback test server)."""
import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

log = logging.getLogger(__name__)
DEFAULT_BASE = {"twilio": "https://api.twilio.com", "rapidpro": "https://textit.com"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class SmsError(Exception):
    """The gateway did not take the message (configuration, network, HTTP status)."""


class SmsGateway(Protocol):
    name: str

    def send(self, to: str, text: str) -> str:
        """Hand one SMS to the gateway; return its message id. Raises SmsError."""


class NoGateway:
    """ICRS_SMS_GATEWAY=none: nothing leaves; the outbox row is marked as not sent."""

    name = "none"

    def send(self, to: str, text: str) -> str:
        raise SmsError("no SMS gateway (ICRS_SMS_GATEWAY=none)")


class TwilioGateway:
    name = "twilio"

    def __init__(self, base_url, account_sid, auth_token, sender, timeout=10):
        self.base_url, self.timeout = _base(base_url or DEFAULT_BASE["twilio"]), timeout
        self.sid, self.token, self.sender = account_sid, auth_token, sender

    def send(self, to: str, text: str) -> str:
        if not (self.sid and self.token and self.sender):
            raise SmsError("ICRS_SMS_ACCOUNT_SID, ICRS_SMS_AUTH_TOKEN and ICRS_SMS_FROM are needed")
        url = (f"{self.base_url}/2010-04-01/Accounts/{urllib.parse.quote(self.sid)}"
               "/Messages.json")
        basic = base64.b64encode(f"{self.sid}:{self.token}".encode()).decode()
        body = urllib.parse.urlencode({"To": to, "From": self.sender, "Body": text}).encode()
        answer = _post(url, body, {"Authorization": f"Basic {basic}",
                                   "Content-Type": "application/x-www-form-urlencoded"},
                       self.timeout)
        return _field(answer, "sid")


class RapidProGateway:
    name = "rapidpro"

    def __init__(self, base_url, api_token, timeout=10):
        self.base_url, self.timeout = _base(base_url or DEFAULT_BASE["rapidpro"]), timeout
        self.token = api_token

    def send(self, to: str, text: str) -> str:
        if not self.token:
            raise SmsError("ICRS_SMS_AUTH_TOKEN is needed")
        body = json.dumps({"urns": [f"tel:{to}"], "text": text}).encode()
        answer = _post(f"{self.base_url}/api/v2/broadcasts.json", body,
                       {"Authorization": f"Token {self.token}",
                        "Content-Type": "application/json"}, self.timeout)
        return _field(answer, "id")


def gateway_from_config(config) -> SmsGateway:
    name = (config.get("ICRS_SMS_GATEWAY") or "none").strip().lower()
    timeout = config.get("ICRS_SMS_TIMEOUT", 10)
    if name == "twilio":
        return TwilioGateway(config.get("ICRS_SMS_BASE_URL"), config.get("ICRS_SMS_ACCOUNT_SID"),
                             config.get("ICRS_SMS_AUTH_TOKEN"), config.get("ICRS_SMS_FROM"),
                             timeout)
    if name == "rapidpro":
        return RapidProGateway(config.get("ICRS_SMS_BASE_URL"),
                               config.get("ICRS_SMS_AUTH_TOKEN"), timeout)
    if name != "none":
        log.warning("unknown ICRS_SMS_GATEWAY %r: no SMS is sent", name)
    return NoGateway()


def _base(url):
    return str(url).rstrip("/")


def _post(url, body, headers, timeout):
    parts = urllib.parse.urlsplit(url)
    if not (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)):
        raise SmsError("ICRS_SMS_BASE_URL must be https: credentials never travel in clear")
    request = urllib.request.Request(url, data=body, headers=headers,  # noqa: S310 - https
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read(65536) or b"{}")
    except urllib.error.HTTPError as exc:
        raise SmsError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SmsError(type(reason).__name__) from None
    except ValueError:
        raise SmsError("the gateway's answer is not JSON") from None


def _field(answer, key):
    value = answer.get(key) if isinstance(answer, dict) else None
    if value in (None, ""):
        raise SmsError(f"the gateway's answer has no {key}")
    return str(value)
