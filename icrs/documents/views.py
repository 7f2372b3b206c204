"""Documents of a case: upload (multipart, CSRF), download and inline view of images. Every
answer is never cached, never sniffed, and sandboxed; every read is audited."""
from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.timeutil import today
from icrs.documents import services
from icrs.documents.forms import AttachmentForm
from icrs.extensions import db
from icrs.people.views import load_person, refuse, render_case

bp = Blueprint("documents", __name__, url_prefix="/people")
FORM_OVERHEAD = 64 * 1024  # the multipart envelope and the other fields around the file


@bp.url_value_preprocessor
def _upload_limit(endpoint, _values):
    """Only the upload may send more than the app-wide MAX_CONTENT_LENGTH (set before the CSRF
    check reads the body)."""
    if endpoint == "documents.upload":
        request.max_content_length = services.max_bytes() + FORM_OVERHEAD


@bp.route("/<uuid:person_id>/documents", methods=["POST"])
@permission_required("people.edit")
def upload(person_id):
    person = load_person(person_id)
    if not services.can_attach(current_user, person):
        abort(403)
    form = AttachmentForm(prefix="doc")
    form.kind.choices = services.kind_choices(current_user, person)
    valid, upload = form.validate_on_submit(), form.file.data
    if not getattr(upload, "filename", None):
        form.file.errors = [_l("Choose a file.")]
    if not valid or form.file.errors:
        return render_case(person, 400, attachment_form=form)
    try:
        services.attach(current_user, person, form.kind.data, upload.filename,
                        upload.read(services.max_bytes() + 1))
    except DomainError as exc:
        return refuse(exc, person, "attachment_form", form)
    db.session.commit()
    flash(_l("Document attached."), "success")
    return redirect(url_for("people.detail", person_id=person.id) + "#documents-h")


@bp.route("/<uuid:person_id>/documents/<uuid:attachment_id>")
@permission_required("people.view")
def download(person_id, attachment_id):
    return _send(person_id, attachment_id, inline=False)


@bp.route("/<uuid:person_id>/documents/<uuid:attachment_id>/view")
@permission_required("people.view")
def view(person_id, attachment_id):
    return _send(person_id, attachment_id, inline=True)


def _send(person_id, attachment_id, inline):
    person = load_person(person_id)
    attachment = services.load_attachment(current_user, person, attachment_id)
    if attachment is None or (inline and not attachment.is_image):
        abort(404)
    data = services.read_content(current_user, person, attachment, inline=inline)
    if data is None:
        from icrs.web import render_error
        return render_error(410, _l("This document was destroyed with the person’s data key: "
                                    "it cannot be read any more."))
    db.session.commit()
    return _file_response(data, attachment, inline)


def _file_response(data, attachment, inline):
    response = Response(data, mimetype=attachment.media_type)
    name = f"icrs-{attachment.kind.value.replace('_', '-')}-{today():%Y%m%d}.{attachment.extension}"
    disposition = "inline" if inline else "attachment"
    h = response.headers
    h["Content-Disposition"] = f'{disposition}; filename="{name}"'
    h["Cache-Control"] = "no-store"
    h["Pragma"] = "no-cache"
    h["X-Content-Type-Options"] = "nosniff"
    h["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    h["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
