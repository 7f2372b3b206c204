"""The OpenRosa requests' credential: the device secret in the path, `/openrosa/key/<token>/…`
(the server URL the phone is given). A refused credential gets 401 with the OpenRosa headers and
an OpenRosa message; an accepted one acts as its user (`g.device`, `g.field_user`), with the
user's role and scope, for this request only (no session, no cookie)."""
import functools

from flask import g
from flask_babel import gettext as _

from icrs.openrosa import devices
from icrs.openrosa.responses import openrosa_message

URL_PREFIX = "/openrosa/key/<token>"


def device_required(view):
    @functools.wraps(view)
    def wrapper(token, *args, **kwargs):
        device = devices.authenticate(token)
        if device is None:
            return openrosa_message(
                _("This device's access is not valid. Ask for a new one."), 401)
        g.device, g.field_user = device, device.user
        return view(*args, **kwargs)
    return wrapper
