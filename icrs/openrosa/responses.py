"""OpenRosa response helpers: the headers every answer carries and the `<OpenRosaResponse>`
message body (https://docs.getodk.org/openrosa-http/)."""
from xml.sax.saxutils import escape

from flask import current_app, make_response

OPENROSA_VERSION = "1.0"
XMLNS = "http://openrosa.org/http/response"


def openrosa_headers(response):
    response.headers["X-OpenRosa-Version"] = OPENROSA_VERSION
    response.headers["X-OpenRosa-Accept-Content-Length"] = str(
        current_app.config["ICRS_OPENROSA_MAX_BYTES"])
    response.headers["Cache-Control"] = "no-store"
    return response


def openrosa_xml(body: str, status: int = 200, content_type="text/xml; charset=utf-8"):
    response = make_response(body, status)
    response.headers["Content-Type"] = content_type
    return openrosa_headers(response)


def openrosa_message(text, status: int):
    """An `<OpenRosaResponse>` with one message (the phone shows it to its user). `text` is
    translated by the caller when it is for the phone's user."""
    body = (f'<OpenRosaResponse xmlns="{XMLNS}"><message nature="">{escape(str(text))}'
            "</message></OpenRosaResponse>")
    return openrosa_xml(body, status)
