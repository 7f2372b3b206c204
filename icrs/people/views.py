"""People pages: list and search, registration with duplicate check, the case page."""
import uuid
from functools import partial

import sqlalchemy as sa
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
from sqlalchemy.orm import selectinload

from icrs.audit.services import commit_view
from icrs.auth.access import permission_required
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import DomainError
from icrs.core.models import place_choices
from icrs.core.pagination import Page, page_arg, paginate
from icrs.core.timeutil import today
from icrs.core.views import form_error, show_refusal
from icrs.core.vocab import PersonCategory, Sex
from icrs.crypto import preload_keys
from icrs.extensions import db, limiter
from icrs.people import queries, services
from icrs.people.duplicates import check_duplicates
from icrs.people.forms import CommunityMemberForm, RegistrationForm, SearchForm
from icrs.people.kinds import BeneficiaryKind
from icrs.people.models import Person
from icrs.people.states import Stage

bp = Blueprint("people", __name__, url_prefix="/people")
IDENTITY_KINDS = ("name", "id_number", "phone")
IDENTITY_RESULTS = 100  # exact matches: one page, no pager (its links would be GETs)


def load_person(person_id, user=None) -> Person:
    """404 for an unknown person and for one outside the user's scope (need-to-know)."""
    user = user or current_user
    person = db.session.get(Person, person_id)
    if person is None or not person.can_view(user):
        abort(404)
    if person.is_erased:
        abort(erased_response())
    if person.is_merged:  # a tombstone: its page is the survivor's
        flash(_l("Case %(merged)s was merged into case %(survivor)s.",
                 merged=person.case_number, survivor=person.merged_into.case_number), "info")
        abort(redirect(url_for("people.detail", person_id=person.merged_into_id)))
    return person


def erased_response():
    """410 Gone, saying why: an erased case has no page any more."""
    from icrs.web import render_error
    body, code = render_error(410)
    return make_response(body, code)


def _search_choices(form):
    sites = current_user.scope.places()[1]
    empty = [("", "—")]
    form.stage.choices = empty + Stage.choices()
    form.site.choices = place_choices(sites, empty=True)
    form.category.choices = empty + PersonCategory.choices()
    form.beneficiary_kind.choices = empty + BeneficiaryKind.choices()
    form.sex.choices = empty + Sex.choices()
    workers = db.session.scalars(sa.select(User).where(
        User.role == Role.CASEWORKER, User.site_id.in_([s.id for s in sites]))
        .order_by(User.full_name)).all()
    form.caseworker.choices = empty + [(str(u.id), u.full_name) for u in workers]


@bp.route("/", methods=["GET", "POST"])
@permission_required("people.view")
def index():
    """The people list. Filters and case-number search are GET (links can be shared); a name,
    ID number or phone is searched by POST only, so it never lands in a URL, a proxy log or
    the browser history (a GET ignores it)."""
    posted = request.method == "POST"
    source = request.form if posted else request.args
    form = SearchForm(source)
    _search_choices(form)
    valid = form.validate()
    args = {k: v for k, v in source.items() if k in form._fields and v} if valid else {}
    kind, q = args.get("kind", "case"), (args.get("q") or "").strip()
    identity = kind in IDENTITY_KINDS
    if posted and valid and not (identity and q):
        return redirect(url_for("people.index", **args))
    if identity and not posted:
        q = form.q.data = ""
    if posted and not valid:  # the errors at the fields, no rows: nothing shown, nothing written
        return render_template("people/index.html", form=form, page=Page([], 1, 1, 0),
                               searched=True, identity_search=True), 400
    stmt = queries.scoped(sa.select(Person), current_user)
    stmt = queries.search(stmt, kind, q)
    stmt = queries.sorted_by(queries.filtered(stmt, args), args.get("sort")).options(
        selectinload(Person.site), selectinload(Person.caseworker))
    number, size = (1, IDENTITY_RESULTS) if posted else (page_arg(request.args), 25)
    page = paginate(stmt, number, size)
    preload_keys(p.id for p in page.items)  # one query for the data keys of the page
    page.items = queries.confirm_search(page.items, kind, q)
    if page.items:
        services.record_list_view(current_user, len(page.items))
        commit_view()
    return render_template("people/index.html", form=form, page=page, searched=bool(q),
                           identity_search=posted)


def _register_limit():
    from flask import current_app
    return current_app.config["ICRS_REGISTER_RATE_LIMIT"]


ELSEWHERE = "elsewhere"  # confirmed: not the person registered at another site (never shown)


def _user_key():
    return f"user:{current_user.get_id()}"


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit(_register_limit, key_func=_user_key, methods=["POST"],
               deduct_when=lambda response: response.status_code != 400)
@permission_required("people.register")
def register():
    return _register(RegistrationForm(), services.register_person)


@bp.route("/new/community", methods=["GET", "POST"])
@limiter.limit(_register_limit, key_func=_user_key, methods=["POST"],
               deduct_when=lambda response: response.status_code != 400)
@permission_required("people.register")
def register_community_member():
    """The light registration of a community member (icrs.people.kinds)."""
    form = CommunityMemberForm()

    def save(actor, site, data, not_duplicate_of):
        return services.register_community_member(
            actor, site, data, form.consent_method.data, form.witness_name.data or None,
            not_duplicate_of=not_duplicate_of)
    return _register(form, save, light=True)


def _register(form, save, light=False):
    """Validate, check the identity and duplicates, register: the flow both forms share."""
    page = partial(render_template, "people/register.html", light=light)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return page(form=form, candidates=[]), status
    data = form.to_data(today().year)
    try:  # before the duplicate check and its notices
        services.check_site_open(current_user.site)
        services.check_identity(services.community_member_data(data) if light else data)
    except DomainError as exc:
        return form_error(form, exc, "people/register.html", candidates=[], light=light)
    confirmed = _confirmed_ids(form.not_duplicate_of.data)
    check = check_duplicates(current_user, data, confirmed,
                             ELSEWHERE in (form.not_duplicate_of.data or "").split(","))
    if check.found:
        db.session.commit()  # the audit entry and the supervisors' notifications
        form.not_duplicate_of.data = ",".join([str(c.id) for c in check.visible + [
            db.session.get(Person, i) for i in confirmed if db.session.get(Person, i)]]
            + ([ELSEWHERE] if check.elsewhere else []))
        return page(form=form, candidates=check.visible, elsewhere=check.elsewhere,
                    contact_tokens=check.contact_tokens), 409
    try:
        person = save(current_user, current_user.site, data, not_duplicate_of=confirmed)
    except DomainError as exc:
        db.session.rollback()
        return form_error(form, exc, "people/register.html", candidates=[], light=light)
    db.session.commit()
    flash(_l("Registered as %(case)s.", case=person.case_number), "success")
    return redirect(url_for("people.detail", person_id=person.id))


def _confirmed_ids(raw):
    ids = []
    for part in (raw or "").split(",")[:50]:
        try:
            ids.append(uuid.UUID(part.strip()))
        except ValueError:
            continue
    return ids


@bp.route("/<uuid:person_id>")
@permission_required("people.view")
def detail(person_id):
    return render_case(load_person(person_id))


def render_case(person, status=200, **forms):
    """The one place that renders the case page, so every response showing it (a view, or a
    refused action shown again) records exactly one view entry."""
    from icrs.people.case_page import case_context
    services.mark_viewed(current_user, person, "case")
    commit_view()
    return render_template("people/detail.html", **case_context(person, current_user, **forms)), \
        status


def refuse(exc, person, form_name=None, form=None):
    """A domain refusal on a case action: 403, or the case page again with the message at the
    field (400/409), nothing saved."""
    status = show_refusal(exc, form)
    person = db.session.get(Person, person.id)
    return render_case(person, status, **({form_name: form} if form_name else {}))


# the case action and erasure routes register on `bp`
from icrs.people import (  # noqa: E402,F401
    best_interest_views,
    break_glass_views,
    case_views,
    erasure_views,
    merge_views,
    stage_approval_views,
)
from icrs.people.consent_text_views import bp as consent_texts_bp  # noqa: E402
from icrs.people.imports import views as import_views  # noqa: E402,F401

BLUEPRINTS = [bp, consent_texts_bp]
