"""Provider links: the public pages a provider without an account answers on (/p/<token>, and
/p to type the short code on a phone), and the caseworker's side on the referral page (make and
revoke a link, record an answer received on the provider's behalf).

The public pages show the packet and the deadlines only, are never cached and send no referrer.
The referral slip is in slip_views.py (same blueprint).
"""
import uuid

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required, public
from icrs.core.errors import ConflictError, DomainError, IllegalTransition
from icrs.core.views import show_refusal
from icrs.exchange import links
from icrs.exchange.link_forms import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    LinkAnswerForm,
    OnBehalfForm,
    PlainPostForm,
    ShortCodeForm,
)
from icrs.exchange.link_models import ReferralLink
from icrs.extensions import db, limiter
from icrs.referrals import signals
from icrs.referrals.packet import packet_rows, packet_visible
from icrs.referrals.views import load_referral, render_detail

bp = Blueprint("links", __name__)
SESSION_KEY = "provider_link"  # the link opened by its short code, in this browser only
PUBLIC_PAGES = {"links.code_entry", "links.page", "links.answer", "links.code_page",
                "links.code_answer"}


def _code_limit():
    return current_app.config["ICRS_PROVIDER_CODE_RATE_LIMIT"]


def _page_limit():
    return current_app.config["ICRS_LOGIN_RATE_LIMIT"]


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# --- public: the provider's pages -----------------------------------------------------------------
@bp.route("/p", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"])
@public
def code_entry():
    form = ShortCodeForm()
    if request.method == "GET":
        return render_template("exchange/code_entry.html", form=form)
    if not form.validate_on_submit():
        return render_template("exchange/code_entry.html", form=form), 400
    try:
        link = links.by_code(form.code.data)
    except links.LinkInvalid as exc:
        record("exchange.code_refused", object_type="referral_link")
        db.session.commit()
        form.code.errors = [exc.message]
        return render_template("exchange/code_entry.html", form=form), 404
    session[SESSION_KEY] = str(link.id)
    return redirect(url_for("links.code_page"))


@bp.route("/p/code")
@public
def code_page():
    return _show(_from_session(), url_for("links.code_answer"))


@bp.route("/p/code/answer", methods=["POST"])
@limiter.limit(_page_limit, methods=["POST"])
@public
def code_answer():
    return _answer(_from_session(), url_for("links.code_page"), url_for("links.code_answer"))


@bp.route("/p/<token>")
@limiter.limit(_page_limit)
@public
def page(token):
    return _show(_from_token(token), url_for("links.answer", token=token))


@bp.route("/p/<token>/answer", methods=["POST"])
@limiter.limit(_page_limit, methods=["POST"])
@public
def answer(token):
    return _answer(_from_token(token), url_for("links.page", token=token),
                   url_for("links.answer", token=token))


def _from_token(token):
    try:
        return links.by_token(token)
    except links.LinkInvalid:
        abort(_invalid())


def _from_session():
    try:
        return links.by_id(uuid.UUID(str(session.get(SESSION_KEY))))
    except (ValueError, links.LinkInvalid):
        session.pop(SESSION_KEY, None)
        abort(_invalid())


def _invalid():
    return make_response(render_template("exchange/link_invalid.html"), 404)


def _show(link, post_to, status=200, form=None):
    """The provider's page: one audit entry (actor: the link) per response."""
    referral = link.referral
    visible = packet_visible(referral)
    record("exchange.link_viewed", obj=referral, link=str(link.id),
           person=str(referral.person_id), packet_shown=visible)
    commit_view()
    form = form or LinkAnswerForm()
    form.step.data = link.step
    return render_template("exchange/link_page.html", link=link, referral=referral,
                           rows=packet_rows(referral.packet) if visible else [],
                           visible=visible, actions=links.actions_for(referral),
                           labels=ACTION_LABELS, form=form, post_to=post_to), status


def _answer(link, back, post_to):
    form = LinkAnswerForm()
    if not form.validate_on_submit():
        return _show(link, post_to, 400, form)
    try:
        links.answer(link, form.action.data, step=form.step.data,
                     reason=form.reason.data or None, outcome=form.outcome.data or None,
                     note=form.note.data)
    except IllegalTransition as exc:
        return _refused(link, ConflictError(exc.message), form, post_to)
    except DomainError as exc:
        return _refused(link, exc, form, post_to)
    db.session.commit()
    flash(_l("Thank you: your answer is recorded and the caseworker is told."), "success")
    return redirect(back)


def _refused(link, exc, form, post_to):
    """Nothing written; the page as it is now, with the message. An answer already taken or
    no longer possible shows a fresh form."""
    status = show_refusal(exc, form)
    if isinstance(exc, ConflictError):
        form = LinkAnswerForm(formdata=None)
        form.form_errors.append(exc.message)
    try:
        link = links.by_id(link.id)
    except links.LinkInvalid:
        abort(_invalid())
    return _show(link, post_to, status, form)


# --- the caseworker's side ------------------------------------------------------------------------
def _link_of(referral, link_id) -> ReferralLink:
    link = db.session.get(ReferralLink, link_id)
    if link is None or link.referral_id != referral.id:
        abort(404)
    return link


@bp.route("/referrals/<uuid:referral_id>/links", methods=["POST"])
@permission_required("referrals.create")
def create(referral_id):
    from icrs.exchange.slip_views import render_slip

    referral = load_referral(referral_id)
    if not referral.can_manage(current_user):
        abort(403)
    try:
        _link, token, code = links.create_link(current_user, referral)
    except DomainError as exc:
        return render_detail(referral, show_refusal(exc))
    db.session.commit()
    return render_slip(referral, token=token, code=code)


@bp.route("/referrals/<uuid:referral_id>/links/<uuid:link_id>/revoke", methods=["POST"])
@permission_required("referrals.view")
def revoke(referral_id, link_id):
    referral = load_referral(referral_id)
    if not links.may_revoke(current_user, referral):
        abort(403)
    if not PlainPostForm().validate_on_submit():
        return render_detail(referral, 400)
    try:
        links.revoke_link(current_user, _link_of(referral, link_id))
    except DomainError as exc:
        return render_detail(referral, show_refusal(exc))
    db.session.commit()
    flash(_l("The provider link is revoked: it no longer works."), "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id))


@bp.route("/referrals/<uuid:referral_id>/provider-answer", methods=["POST"])
@permission_required("referrals.create")
def on_behalf(referral_id):
    referral = load_referral(referral_id)
    if not links.may_record(current_user, referral):
        abort(403)
    form = OnBehalfForm(prefix="ob")
    if not form.validate_on_submit():
        return render_detail(referral, 400, on_behalf_form=form)
    try:
        links.record_on_behalf(current_user, referral, form.action.data,
                               channel=form.channel.data, received_from=form.received_from.data,
                               reason=form.reason.data or None,
                               outcome=form.outcome.data or None, note=form.note.data,
                               version=form.version.data)
    except DomainError as exc:
        status = show_refusal(exc, form)
        return render_detail(load_referral(referral_id), status, on_behalf_form=form)
    db.session.commit()
    flash(_l("The provider's answer is recorded."), "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id))


@signals.referral_panels.connect
def _panel(referral, user=None, forms=None, **_):
    """The referral page's "Provider without an account" panel."""
    if user is None or referral.status.value == "draft":
        return None
    form = (forms or {}).get("on_behalf_form") or OnBehalfForm(prefix="ob")
    form.version.data = referral.version
    return {"template": "exchange/_referral_panel.html",
            "exchange_links": links.links_of(referral),
            "exchange_answers": links.answers_of(referral),
            "link_state": links.state_of, "may_create": links.may_create(user, referral),
            "may_revoke": links.may_revoke(user, referral),
            "may_record": links.may_record(user, referral)
            and bool(links.actions_for(referral)),
            "on_behalf_actions": links.actions_for(referral), "on_behalf_form": form,
            "action_labels": ACTION_LABELS, "channel_labels": CHANNEL_LABELS,
            "plain_form": PlainPostForm()}


BLUEPRINTS = [bp]
from icrs.exchange import slip_views  # noqa: E402,F401  (routes)
