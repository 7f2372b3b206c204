"""Consent texts: the admin's versions per purpose (draft, publish), and the printable texts a
caseworker reads to the person or has thumbprinted."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.views import form_error, show_refusal
from icrs.extensions import db
from icrs.people.forms import ConsentTextForm
from icrs.people.models import ConsentPurpose, ConsentText
from icrs.people.services import consent_texts

bp = Blueprint("consent_texts", __name__)


def _purpose(value) -> ConsentPurpose:
    try:
        return ConsentPurpose(value)
    except ValueError:
        abort(404)


@bp.route("/admin/consent-texts")
@permission_required("admin.consent")
def index():
    return _index_page()


def _index_page():
    rows = [(purpose, consent_texts.versions(purpose)) for purpose in ConsentPurpose]
    return render_template("people/consent_texts.html", rows=rows,
                           in_force=consent_texts.current_texts())


@bp.route("/admin/consent-texts/<purpose>/new", methods=["GET", "POST"])
@permission_required("admin.consent")
def new(purpose):
    purpose = _purpose(purpose)
    draft = consent_texts.draft_of(purpose)
    if draft is not None:
        return redirect(url_for("consent_texts.edit", text_id=draft.id))
    base = consent_texts.current_text(purpose) or consent_texts.default_text(purpose)
    form = ConsentTextForm(obj=base if request.method == "GET" else None)
    if request.method == "GET":
        form.requires_reconsent.data = False
    context = {"purpose": purpose, "text": None}
    if form.validate_on_submit():
        try:
            text = consent_texts.create_draft(current_user, purpose, form.text_fr.data,
                                              form.text_en.data, form.requires_reconsent.data)
        except DomainError as exc:
            return form_error(form, exc, "people/consent_text_form.html", **context)
        db.session.commit()
        flash(_l("Draft saved. Publish it when it is ready."), "success")
        return redirect(url_for("consent_texts.edit", text_id=text.id))
    status = 400 if request.method == "POST" else 200
    return render_template("people/consent_text_form.html", form=form, **context), status


@bp.route("/admin/consent-texts/<int:text_id>", methods=["GET", "POST"])
@permission_required("admin.consent")
def edit(text_id):
    text = db.session.get(ConsentText, text_id) or abort(404)
    form = ConsentTextForm(obj=text if request.method == "GET" else None)
    context = {"purpose": text.purpose, "text": text}
    if form.validate_on_submit():
        try:
            consent_texts.update_draft(current_user, text, form.text_fr.data, form.text_en.data,
                                       form.requires_reconsent.data)
        except DomainError as exc:
            return form_error(form, exc, "people/consent_text_form.html", **context)
        db.session.commit()
        flash(_l("Draft saved. Publish it when it is ready."), "success")
        return redirect(url_for("consent_texts.edit", text_id=text.id))
    status = 400 if request.method == "POST" else 200
    return render_template("people/consent_text_form.html", form=form, **context), status


def _draft_action(text_id, act, message):
    text = db.session.get(ConsentText, text_id) or abort(404)
    try:
        act(current_user, text)
    except DomainError as exc:
        return _index_page(), show_refusal(exc)  # the message as a flash, nothing changed
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("consent_texts.index"))


@bp.route("/admin/consent-texts/<int:text_id>/publish", methods=["POST"])
@permission_required("admin.consent")
def publish(text_id):
    return _draft_action(text_id, consent_texts.publish,
                         _l("Published: consent is now recorded under this version."))


@bp.route("/admin/consent-texts/<int:text_id>/discard", methods=["POST"])
@permission_required("admin.consent")
def discard(text_id):
    return _draft_action(text_id, consent_texts.discard_draft, _l("Draft discarded."))


@bp.route("/consent-texts/print")
@permission_required("people.view")
def print_texts():
    """The texts in force, one sheet per purpose, in the language asked (the page's by default),
    with room for the date, a signature or a thumbprint, and the witness."""
    lang = request.args.get("lang")
    lang = lang if lang in ("fr", "en") else str(get_locale() or "fr")[:2]
    texts = consent_texts.texts_to_show()
    only = request.args.get("purpose")
    if only:
        texts = {p: t for p, t in texts.items() if p == _purpose(only)}
    return render_template("people/consent_print.html", texts=texts, lang=lang)
