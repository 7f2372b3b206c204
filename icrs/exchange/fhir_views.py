"""The FHIR R4 API for partner organisations (/fhir/r4, `Authorization: Bearer <partner token>`)
and the administrators' page that issues and revokes the tokens.

The API views are public-marked (no session, no login redirect, no CSRF: a token in a header
cannot be sent by another site) and answer every error as an OperationOutcome. Another
partner's referral answers 404, like a missing one, so that existence does not leak.
"""
import json
import uuid
from functools import wraps

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Rule

from icrs.auth.access import permission_required, public
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import utcnow
from icrs.directory.models import Organisation
from icrs.exchange import fhir
from icrs.exchange import fhir_services as services
from icrs.exchange.fhir_forms import PartnerTokenForm
from icrs.exchange.fhir_models import PartnerToken
from icrs.extensions import csrf, db, limiter
from icrs.referrals.models import Referral
from icrs.referrals.packet import packet_visible

bp = Blueprint("fhir", __name__, url_prefix="/fhir/r4")
admin_bp = Blueprint("partner_tokens", __name__, url_prefix="/admin/partner-tokens")
BLUEPRINTS = [bp, admin_bp]
csrf.exempt(bp)
MAX_COUNT, DEFAULT_COUNT = 100, 50


def _rate_limit():
    return current_app.config.get("ICRS_FHIR_RATE_LIMIT", "120 per minute")


def _token_key():
    """Per token (its hash), else per address: one partner cannot use up another's quota."""
    raw = request.headers.get("Authorization", "").partition(" ")[2].strip()
    return "fhir:" + (services.hash_token(raw)[:16] if raw else request.remote_addr or "")


limiter.limit(_rate_limit, key_func=_token_key)(bp)


def _answer(body, status=200, **headers):
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype=fhir.FHIR_JSON)
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(headers)
    return response


def _outcome(status, code, message, **headers):
    db.session.rollback()
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="icrs-fhir"'
    return _answer(fhir.operation_outcome(code, message), status, **headers)


def partner_token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        token = services.authenticate(raw.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            return _outcome(401, "login", "send a valid partner token: Authorization: Bearer "
                                          "<token> (expired and revoked tokens are refused)")
        g.partner_token = token
        return view(*args, **kwargs)

    return public(wrapped)


@bp.errorhandler(HTTPException)
def _http_error(exc):
    if exc.code is None or exc.code < 400:
        return exc
    code = {404: "not-found", 405: "not-supported", 429: "throttled"}.get(exc.code, "processing")
    return _outcome(exc.code, code, exc.name.lower())


@bp.route("/metadata", endpoint="metadata")
@public
def metadata():
    """The CapabilityStatement (no data: readable without a token)."""
    return _answer(fhir.capability_statement(utcnow()))


def _any_method_rules(state):
    """Every other path and method under /fhir/r4 answers an OperationOutcome (a rule without
    `methods` takes them all), never the HTML error page."""
    state.app.url_map.add(Rule("/fhir/r4/<path:path>", endpoint="fhir.unknown"))
    state.app.view_functions["fhir.unknown"] = unknown


bp.record_once(_any_method_rules)


@public
@csrf.exempt
def unknown(path):
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(request.path, method="GET")
    except (NotFound, MethodNotAllowed):
        endpoint = "fhir.unknown"
    if endpoint == "fhir.unknown":
        return _outcome(404, "not-supported", "no such resource type or operation")
    methods = "GET, PUT, PATCH" if endpoint == "fhir.task_read" else "GET"
    return _outcome(405, "not-supported", "method not allowed here", Allow=methods)


def _referral_or_404(raw_id):
    try:
        referral_id = uuid.UUID(raw_id)
    except ValueError:
        return None
    return services.partner_referral(g.partner_token, referral_id)


def _paging():
    try:
        count = min(MAX_COUNT, max(1, int(request.args.get("_count", DEFAULT_COUNT))))
        offset = max(0, int(request.args.get("_offset", 0)))
    except ValueError:
        return None
    return count, offset


def _search(resource_type, build):
    paging = _paging()
    if paging is None:
        return _outcome(400, "invalid", "_count and _offset must be whole numbers")
    count, offset = paging
    stmt = services.partner_referrals(g.partner_token)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).subquery())) or 0
    rows = db.session.scalars(stmt.options(
        selectinload(Referral.service), selectinload(Referral.organisation),
        selectinload(Referral.created_by)).limit(count).offset(offset)).all()
    resources, shown = [], []
    for referral in rows:
        resource, with_packet = build(referral)
        resources.append(resource)
        shown += [referral] if with_packet else []
    services.record_read(g.partner_token, shown, resource_type)
    db.session.commit()
    url = url_for(f"fhir.{resource_type.lower()}_search", _external=True)
    next_url = (f"{url}?_count={count}&_offset={offset + count}"
                if offset + count < total else None)
    return _answer(fhir.bundle(resources, total, f"{url}?_count={count}&_offset={offset}",
                               next_url))


def _service_request(referral):
    visible = packet_visible(referral)
    return fhir.service_request(referral, referral.packet if visible else None), visible


def _task(referral):
    return fhir.task(referral), False


@bp.route("/ServiceRequest", endpoint="servicerequest_search")
@partner_token_required
def service_request_search():
    return _search("ServiceRequest", _service_request)


@bp.route("/Task", endpoint="task_search")
@partner_token_required
def task_search():
    return _search("Task", _task)


@bp.route("/ServiceRequest/<raw_id>", endpoint="servicerequest_read")
@partner_token_required
def service_request_read(raw_id):
    referral = _referral_or_404(raw_id)
    if referral is None:
        return _outcome(404, "not-found", "no such ServiceRequest")
    resource, visible = _service_request(referral)
    services.record_read(g.partner_token, [referral] if visible else [], "ServiceRequest")
    db.session.commit()
    return _answer(resource, ETag=f'W/"{referral.version}"')


@bp.route("/Task/<raw_id>", endpoint="task_read")
@partner_token_required
def task_read(raw_id):
    referral = _referral_or_404(raw_id)
    if referral is None:
        return _outcome(404, "not-found", "no such Task")
    db.session.commit()  # the token's last use
    return _answer(fhir.task(referral), ETag=f'W/"{referral.version}"')


def _if_match():
    """`If-Match: W/"3"` → 3 (the version the partner read), or None."""
    value = request.headers.get("If-Match", "").strip()
    digits = value.removeprefix("W/").strip('"')
    return int(digits) if digits.isdigit() else None


@bp.route("/Task/<raw_id>", methods=["PUT", "PATCH"], endpoint="task_update")
@partner_token_required
def task_update(raw_id):
    referral = _referral_or_404(raw_id)
    if referral is None:
        return _outcome(404, "not-found", "no such Task")
    body = request.get_json(silent=True, force=True)
    if body is None:
        return _outcome(400, "invalid", "the body is not JSON")
    try:
        update = fhir.read_task_update(body, referral.id)
        services.update_task(g.partner_token, referral, update, version=_if_match())
    except fhir.TaskUpdateError as exc:
        return _outcome(exc.status, "invalid" if exc.status == 400 else "code-invalid",
                        exc.message)
    except AccessDenied:
        return _outcome(404, "not-found", "no such Task")
    except ConflictError as exc:
        return _outcome(409, "conflict", exc.message)
    except DomainError as exc:
        return _outcome(400, "invalid", exc.message)
    db.session.commit()
    referral = db.session.get(Referral, referral.id)
    return _answer(fhir.task(referral), ETag=f'W/"{referral.version}"')


# --- the administrators' page ---------------------------------------------------------------------
def _tokens_page(form, new_token=None, status=200):
    tokens = db.session.scalars(sa.select(PartnerToken).options(
        selectinload(PartnerToken.organisation), selectinload(PartnerToken.created_by))
        .order_by(PartnerToken.revoked_at.is_not(None), PartnerToken.created_at.desc())).all()
    return render_template("exchange/fhir_tokens.html", form=form, tokens=tokens,
                           new_token=new_token, now=utcnow(),
                           fhir_base=fhir.base_url()), status


def _organisation_choices(form):
    form.organisation_id.choices = [(str(o.id), o.name) for o in db.session.scalars(
        sa.select(Organisation).order_by(Organisation.name))]


@admin_bp.route("/", methods=["GET", "POST"], endpoint="index")
@permission_required("admin.users")
def tokens():
    form = PartnerTokenForm()
    _organisation_choices(form)
    if not form.validate_on_submit():
        return _tokens_page(form, status=400 if request.method == "POST" else 200)
    organisation = db.session.get(Organisation, uuid.UUID(form.organisation_id.data))
    try:
        _token, raw = services.create_partner_token(current_user, organisation,
                                                    form.label.data, form.days.data)
    except DomainError as exc:
        db.session.rollback()
        getattr(form, exc.field or "label").errors.append(exc.message)
        return _tokens_page(form, status=400)
    db.session.commit()
    # shown once, in this response only: never flashed, logged or kept in the session
    form = PartnerTokenForm(formdata=None)
    _organisation_choices(form)
    return _tokens_page(form, new_token=raw)


@admin_bp.route("/<int:token_id>/revoke", methods=["POST"], endpoint="revoke")
@permission_required("admin.users")
def revoke(token_id):
    token = db.session.get(PartnerToken, token_id)
    if token is None:
        abort(404)
    try:
        services.revoke_partner_token(current_user, token)
    except DomainError as exc:
        flash(exc.message, "warning")
        return redirect(url_for("partner_tokens.index"))
    db.session.commit()
    flash(_l("Token revoked. The partner's system loses access now."), "success")
    return redirect(url_for("partner_tokens.index"))
