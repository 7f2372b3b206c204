"""A local HTTP server that speaks the two SMS gateway APIs ICRS uses, for the SMS tests:

- Twilio: ``POST /2010-04-01/Accounts/{sid}/Messages.json``, HTTP basic auth sid:token, form
  fields To, From, Body; 201 with a JSON message resource (``sid`` "SM…"), 401 on bad
  credentials, 400 (code 21211/21602) on a bad number or an empty body.
- RapidPro / TextIt: ``POST /api/v2/broadcasts.json``, ``Authorization: Token …``, JSON with
  ``urns`` (``tel:+…``) and ``text``; 201 with the broadcast (``id``), 403 on a bad token, 400 on
  bad fields.

Every request is recorded. `fail_with` makes the next answers an HTTP status (500, 429 …) and
`delay` makes them slow (for timeouts)."""
import base64
import contextlib
import itertools
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SID, TOKEN, SENDER = "AC" + "0" * 31 + "1", "twilio-test-token", "+237650000000"
API_TOKEN = "rapidpro-test-token"  # noqa: S105
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


class Recorder:
    def __init__(self):
        self.requests, self.fail_with, self.delay = [], None, 0
        self.ids = itertools.count(1)

    @property
    def messages(self):
        return [r for r in self.requests if r["status"] == 201]


def _handler(recorder):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):  # noqa: N802 - http.server's name
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            entry = {"path": self.path, "headers": dict(self.headers), "raw": raw}
            recorder.requests.append(entry)
            if recorder.delay:
                time.sleep(recorder.delay)
            if recorder.fail_with:
                return self._answer(entry, recorder.fail_with, {"message": "failure"})
            if self.path == f"/2010-04-01/Accounts/{SID}/Messages.json":
                return self._twilio(entry, raw)
            if self.path == "/api/v2/broadcasts.json":
                return self._rapidpro(entry, raw)
            return self._answer(entry, 404, {"detail": "Not found."})

        def _twilio(self, entry, raw):
            expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self._answer(entry, 401, {"code": 20003, "message": "Authenticate",
                                                 "status": 401})
            form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
            entry["fields"] = form
            if not E164.match(form.get("To", "")):
                return self._answer(entry, 400, {"code": 21211, "status": 400,
                                                 "message": "The 'To' number is not valid."})
            if form.get("From") != SENDER or not form.get("Body"):
                return self._answer(entry, 400, {"code": 21602, "status": 400,
                                                 "message": "Message body is required."})
            sid = f"SM{next(recorder.ids):032x}"
            return self._answer(entry, 201, {"sid": sid, "account_sid": SID, "to": form["To"],
                                             "from": SENDER, "body": form["Body"],
                                             "status": "queued", "num_segments": "1"})

        def _rapidpro(self, entry, raw):
            if self.headers.get("Authorization") != f"Token {API_TOKEN}":
                return self._answer(entry, 403, {"detail": "Invalid token"})
            try:
                data = json.loads(raw)
            except ValueError:
                return self._answer(entry, 400, {"detail": "JSON parse error"})
            entry["fields"] = data
            urns = data.get("urns") or []
            if not data.get("text") or not urns or not all(
                    isinstance(u, str) and u.startswith("tel:") and E164.match(u[4:])
                    for u in urns):
                return self._answer(entry, 400, {"urns": ["Invalid URN"]})
            return self._answer(entry, 201, {"id": next(recorder.ids), "urns": urns,
                                             "contacts": [], "groups": [], "text": data["text"],
                                             "status": "queued"})

        def _answer(self, entry, status, body):
            entry["status"] = status
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@contextlib.contextmanager
def sms_server():
    """(recorder, base_url) of a gateway on loopback, for the duration of the block."""
    recorder = Recorder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
