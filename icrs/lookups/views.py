"""Administration of the vocabularies programmes adapt (admins only)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.views import form_error, show_refusal
from icrs.extensions import db
from icrs.lookups import registry, services
from icrs.lookups.forms import EntryForm, NewEntryForm

bp = Blueprint("lookups", __name__, url_prefix="/admin/lists")


def _vocabulary(key):
    try:
        return registry.vocabulary(key)
    except KeyError:
        abort(404)


def _current(key, code):
    """The entry as read (no write: the declared entries become rows only on a change)."""
    return next((e for e in registry.entries(key) if e.code == code), None) or abort(404)


@bp.app_template_global("lookup_label")
def lookup_label(vocabulary, code):
    return registry.label(vocabulary, code)


@bp.route("/")
@permission_required("admin.lookups")
def index():
    return render_template("lookups/index.html", vocabularies=registry.vocabularies())


@bp.route("/<key>")
@permission_required("admin.lookups")
def entries(key):
    vocab = _vocabulary(key)
    return render_template("lookups/entries.html", vocab=vocab, entries=registry.entries(key))


@bp.route("/<key>/new", methods=["GET", "POST"])
@permission_required("admin.lookups")
def entry_new(key):
    vocab = _vocabulary(key)
    if vocab.fixed:
        abort(404)
    form = NewEntryForm()
    if form.validate_on_submit():
        try:
            services.add_entry(current_user, vocab, form.code.data, form.label_fr.data,
                               form.label_en.data, form.position.data)
        except DomainError as exc:
            return form_error(form, exc, "lookups/entry_form.html", vocab=vocab, entry=None)
        db.session.commit()
        flash(_l("Entry added."), "success")
        return redirect(url_for("lookups.entries", key=key))
    status = 400 if request.method == "POST" else 200
    return render_template("lookups/entry_form.html", form=form, vocab=vocab, entry=None), status


@bp.route("/<key>/<code>", methods=["GET", "POST"])
@permission_required("admin.lookups")
def entry_edit(key, code):
    vocab = _vocabulary(key)
    entry = _current(key, code)
    form = EntryForm(obj=entry if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_entry(current_user, vocab, services.get_entry(vocab, code),
                                  form.label_fr.data, form.label_en.data, form.position.data)
        except DomainError as exc:
            return form_error(form, exc, "lookups/entry_form.html", vocab=vocab, entry=entry)
        db.session.commit()
        flash(_l("Entry saved."), "success")
        return redirect(url_for("lookups.entries", key=key))
    status = 400 if request.method == "POST" else 200
    return render_template("lookups/entry_form.html", form=form, vocab=vocab,
                           entry=entry), status


@bp.route("/<key>/<code>/active", methods=["POST"])
@permission_required("admin.lookups")
def entry_active(key, code):
    vocab = _vocabulary(key)
    _current(key, code)
    active = request.form.get("active") == "1"
    try:
        services.set_active(current_user, vocab, services.get_entry(vocab, code), active)
    except DomainError as exc:
        status = show_refusal(exc)
        registry.forget(key)
        return render_template("lookups/entries.html", vocab=vocab,
                               entries=registry.entries(key)), status
    db.session.commit()
    flash(_l("Entry reactivated.") if active else _l("Entry retired: it stays on the records "
                                                     "that have it, and is no longer offered."),
          "success")
    return redirect(url_for("lookups.entries", key=key))
