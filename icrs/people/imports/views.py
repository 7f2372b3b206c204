"""The caseload import pages: upload → column mapping → preview (nothing written but the saved
template and the audit entry) → apply. The file waits between the steps sealed at rest
(icrs.core.uploads), readable only by the user who sent it, and is removed once applied."""
import json

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from icrs.auth.access import permission_required
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import DomainError
from icrs.core.fields import safe_int
from icrs.core.models import Site, place_choices
from icrs.core.uploads import UploadStore
from icrs.core.views import show_refusal
from icrs.extensions import db
from icrs.people.imports import mapping as maps
from icrs.people.imports.forms import ApplyForm, MappingForm, UploadForm
from icrs.people.imports.plan import (
    PERMISSION,
    apply_import,
    check_target,
    plan_import,
    record_preview,
)
from icrs.people.imports.reader import read_table
from icrs.people.models import ImportTemplate
from icrs.people.views import bp

MAX_BYTES = 10 * 1024 * 1024
STORE = UploadStore("caseload-imports", max_age=2 * 3600, sealed=True)


def _sites():
    return [s for s in current_user.scope.places()[1] if s.offered]


def _upload_form(formdata=None):
    form = UploadForm(formdata) if formdata is not None else UploadForm()
    sites = _sites()
    form.site_id.choices = place_choices(sites)
    workers = db.session.scalars(sa.select(User).where(
        User.role == Role.CASEWORKER, User.active.is_(True),
        User.site_id.in_([s.id for s in sites])).order_by(User.full_name)).all()
    form.caseworker_id.choices = [("", "—")] + [
        (str(u.id), f"{u.full_name} ({u.site.code})") for u in workers]
    form.template_id.choices = [("", _l("Suggested from the column names"))] + [
        (str(t.id), t.name) for t in maps.templates()]
    return form


def _upload_page(form, status=200):
    return render_template("people/import.html", form=form), status


def _target(form):
    """The site and caseworker a step names, checked again at every step (403, 400)."""
    site = db.session.get(Site, safe_int(form.site_id.data) or 0)
    if site is None:
        abort(400)
    worker_id = safe_int(form.caseworker_id.data)
    worker = db.session.get(User, worker_id) if worker_id else None
    if worker_id and worker is None:
        abort(400)
    check_target(current_user, site, worker)
    return site, worker


@bp.route("/import", methods=["GET", "POST"])
@permission_required(PERMISSION)
def import_upload():
    """GET: the upload form. POST: the file is read, sealed and waits; the mapping step."""
    form = _upload_form()
    if request.method == "GET":
        return _upload_page(form)
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        if upload is None or not upload.filename:
            form.file.errors = list(form.file.errors) + [_l("Choose a file.")]
        return _upload_page(form, 400)
    try:
        site, worker = _target(form)
    except DomainError as exc:
        return _upload_page(form, show_refusal(exc, form))
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES or not data:
        form.file.errors = [_l("The file is empty.") if not data else
                            _l("The file is larger than 10 MB.")]
        return _upload_page(form, 400)
    filename = upload.filename[:200]
    table = read_table(data, filename)
    if not table.ok:
        form.file.errors = list(table.errors)
        return _upload_page(form, 400)
    template = db.session.get(ImportTemplate, safe_int(form.template_id.data) or 0)
    fields = maps.apply_template(template, table.headers) if template else \
        maps.suggest(table.headers)
    mapping_form = MappingForm(formdata=None, data={
        "token": STORE.stash(data, current_user.id), "filename": filename,
        "site_id": str(site.id), "caseworker_id": str(worker.id) if worker else ""})
    return _mapping_page(mapping_form, table, fields)


def _mapping_page(form, table, fields, problems=(), status=200):
    at_column = {}
    for index, message in problems:
        if index is None:
            form.form_errors.append(message)
        else:
            at_column.setdefault(index, []).append(message)
    return render_template("people/import_mapping.html", form=form, headers=table.headers,
                           fields=fields, choices=maps.FIELDS, at_column=at_column,
                           rows=len(table.rows)), status


def _stashed(form):
    """The previewed file again, read as at upload; None when gone (expired or applied)."""
    data = STORE.load(form.token.data, current_user.id) if form.validate_on_submit() else None
    return None if data is None else read_table(data, form.filename.data or "")


def _gone():
    form = _upload_form(formdata=MultiDict())
    form.form_errors.append(_l("The file is no longer here (it waits two hours). Send it "
                               "again."))
    return _upload_page(form, 400)


def _refused_target(exc):
    """The site closed or the caseworker left between two steps: back to the upload form."""
    form = _upload_form(formdata=MultiDict())
    return _upload_page(form, show_refusal(exc, form))


def _step(form):
    """What the preview and the apply step both start from: the stashed file and the target
    site and caseworker, or the page that refuses (the file gone, the target no longer open)."""
    table = _stashed(form)
    if table is None or not table.ok:
        return None, None, None, _gone()
    try:
        site, worker = _target(form)
    except DomainError as exc:
        return None, None, None, _refused_target(exc)
    return table, site, worker, None


@bp.route("/import/preview", methods=["POST"])
@permission_required(PERMISSION)
def import_preview():
    form = MappingForm()
    table, site, worker, refused = _step(form)
    if refused is not None:
        return refused
    fields = [request.form.get(f"col-{i}", "") for i in range(len(table.headers))]
    problems = maps.check_mapping(fields)
    if problems:
        return _mapping_page(form, table, fields, problems, 400)
    if form.template_name.data:
        try:
            maps.save_template(current_user, form.template_name.data, table.headers, fields)
        except DomainError as exc:
            return _mapping_page(form, table, fields, status=show_refusal(exc, form))
    plan = plan_import(current_user, table, fields)
    record_preview(current_user, site, plan)
    db.session.commit()
    apply_form = ApplyForm(formdata=None, data={
        "token": form.token.data, "filename": form.filename.data, "site_id": form.site_id.data,
        "caseworker_id": form.caseworker_id.data, "mapping": json.dumps(fields)})
    return _preview_page(apply_form, plan, site, worker, table)


def _preview_page(form, plan, site, worker, table, status=200, done=False):
    return render_template("people/import_preview.html", form=form, plan=plan, site=site,
                           worker=worker, headers=table.headers, labels=maps.FIELDS,
                           done=done), status


@bp.route("/import/apply", methods=["POST"])
@permission_required(PERMISSION)
def import_apply():
    form = ApplyForm()
    table, site, worker, refused = _step(form)
    if refused is not None:
        return refused
    fields = _fields(form.mapping.data, len(table.headers))
    if fields is None or maps.check_mapping(fields):
        abort(400)
    try:
        plan = apply_import(current_user, site, table, fields, form.mode.data, worker,
                            form.filename.data or "")
    except DomainError as exc:
        status = show_refusal(exc, form)
        return _preview_page(form, plan_import(current_user, table, fields), site, worker,
                             table, status)
    db.session.commit()
    STORE.discard(form.token.data)
    return _preview_page(form, plan, site, worker, table, done=True)


def _fields(raw, count):
    try:
        fields = json.loads(raw or "")
    except ValueError:
        return None
    if not isinstance(fields, list) or len(fields) != count or \
            not all(isinstance(f, str) for f in fields):
        return None
    return fields
