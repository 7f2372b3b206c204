"""The COD import pages: upload → preview (nothing written) → apply (all or nothing). The
previewed file waits server-side under its hash (icrs.places.uploads), so apply needs no
second upload and applies exactly what was shown."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.extensions import db
from icrs.places import uploads
from icrs.places.blueprint import PERMISSION, bp
from icrs.places.cod import read_cod
from icrs.places.cod_import import apply_import, plan_import
from icrs.places.forms import ApplyForm, UploadForm

MAX_BYTES = 1024 * 1024


def _upload_page(form, status=200):
    return render_template("places/import.html", form=form), status


@bp.route("/import", methods=["GET", "POST"])
@permission_required(PERMISSION)
def cod_import():
    """GET: the upload form. POST: the preview of the uploaded file."""
    form = UploadForm()
    if request.method == "GET":
        return _upload_page(form)
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        form.file.errors = list(form.file.errors) + [_l("Choose a file.")]
        return _upload_page(form, 400)
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES or not data:
        form.file.errors = [_l("The file is empty.") if not data else
                            _l("The file is larger than 1 MB.")]
        return _upload_page(form, 400)
    filename = upload.filename[:200]
    plan = plan_import(read_cod(data, filename))
    apply_form = ApplyForm(formdata=None, data={"filename": filename})
    if plan.ok:
        apply_form.digest.data = uploads.stash(data)
    return render_template("places/import_preview.html", plan=plan, filename=filename,
                           apply_form=apply_form), 200 if plan.ok else 400


@bp.route("/import/apply", methods=["POST"])
@permission_required(PERMISSION)
def cod_import_apply():
    form = ApplyForm()
    data = uploads.load(form.digest.data) if form.validate_on_submit() else None
    if data is None:
        upload_form = UploadForm(formdata=None)
        upload_form.form_errors.append(_l("The previewed file is no longer here. Send it "
                                          "again."))
        return _upload_page(upload_form, 400)
    filename = form.filename.data or ""
    cod = read_cod(data, filename)
    try:
        plan = apply_import(current_user, cod, filename)
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 403:
            raise
        flash(exc.message, "danger")
        return render_template("places/import_preview.html", plan=plan_import(cod),
                               filename=filename, apply_form=form), exc.status
    db.session.commit()
    uploads.discard(form.digest.data)
    counts = plan.counts()
    flash(_l("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.",
             created=counts["create"], updated=counts["update"],
             unchanged=counts["unchanged"]), "success")
    return redirect(url_for("places.index"))
