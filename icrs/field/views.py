"""Questionnaire administration (admins): the forms with their version in use and history,
upload of a new version (checked, kept as a draft) → preview of the changes → publish (POST),
and the downloads of any version's .xlsx and of the XForm in use. No personal data; every
action is audited."""
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required
from icrs.extensions import db
from icrs.field import versions, xform
from icrs.field.forms import PublishForm, UploadForm
from icrs.field.models import MAX_BYTES

PERMISSION = "field.questionnaires"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
bp = Blueprint("questionnaires", __name__, url_prefix="/admin/questionnaires")


def _form_id(form_id):
    if form_id not in versions.form_ids():
        abort(404)
    return form_id


def _version(form_id, version_id):
    row = versions.get(_form_id(form_id), version_id)
    if row is None:
        abort(404)
    return row


@bp.route("/")
@permission_required(PERMISSION)
def index():
    forms = [(form_id, versions.current(form_id), versions.current_row(form_id),
              versions.history(form_id)) for form_id in versions.form_ids()]
    return render_template("field/questionnaires.html", forms=forms)


def _upload_page(form_id, form, errors=(), status=200):
    return render_template("field/upload.html", form_id=form_id, form=form,
                           current=versions.current(form_id), errors=errors), status


@bp.route("/<form_id>/upload", methods=["GET", "POST"])
@permission_required(PERMISSION)
def upload(form_id):
    """GET: the upload form. POST: the checked draft, then its preview (nothing published)."""
    _form_id(form_id)
    form = UploadForm()
    if request.method == "GET":
        return _upload_page(form_id, form)
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        return _upload_page(form_id, form, [_l("Choose a file.")], 400)
    data = upload.stream.read(MAX_BYTES + 1)
    try:
        row = versions.upload(current_user, form_id, data, upload.filename)
    except versions.Refused as exc:
        db.session.rollback()
        return _upload_page(form_id, form, exc.errors, 400)
    db.session.commit()
    return redirect(url_for(".version", form_id=form_id, version_id=row.id))


@bp.route("/<form_id>/versions/<int:version_id>")
@permission_required(PERMISSION)
def version(form_id, version_id):
    """A version; for a draft, what it changes from the version in use and the publish button."""
    row = _version(form_id, version_id)
    changes = None if row.published else versions.preview(row)
    return render_template("field/version.html", row=row, changes=changes,
                           questionnaire=versions.parsed(row), publish_form=PublishForm(),
                           current=versions.current(form_id))


@bp.route("/<form_id>/versions/<int:version_id>/publish", methods=["POST"])
@permission_required(PERMISSION)
def publish(form_id, version_id):
    row = _version(form_id, version_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        versions.publish(current_user, row)
    except versions.Refused as exc:
        db.session.rollback()
        for message in exc.errors:
            flash(message, "danger")
        return redirect(url_for(".version", form_id=form_id, version_id=version_id))
    db.session.commit()
    flash(_l("Version %(version)s published: new visits use it.", version=row.version),
          "success")
    return redirect(url_for(".index"))


def _download(body, mimetype, filename, form_id, **details):
    record("field.questionnaire_downloaded", actor=current_user, object_type="questionnaire",
           object_id=form_id, **details)
    commit_view()
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<form_id>/versions/<int:version_id>/xlsx")
@permission_required(PERMISSION)
def download_version(form_id, version_id):
    row = _version(form_id, version_id)
    return _download(bytes(row.xlsx), XLSX, f"{form_id}-{row.version}.xlsx", form_id,
                     form=row.title, version=row.version, file="XLSForm")


@bp.route("/<form_id>/current/xlsx")
@permission_required(PERMISSION)
def download_current(form_id):
    current = versions.current(_form_id(form_id))
    return _download(versions.current_xlsx(form_id), XLSX, f"{form_id}-{current.version}.xlsx",
                     form_id, form=current.title, version=current.version, file="XLSForm")


@bp.route("/<form_id>/current/xform")
@permission_required(PERMISSION)
def download_xform(form_id):
    current = versions.current(_form_id(form_id))
    body = xform.to_xform(versions.current_xlsx(form_id))
    return _download(body, "application/xml; charset=utf-8",
                     f"{form_id}-{current.version}.xml", form_id, form=current.title,
                     version=current.version, file="XForm")
