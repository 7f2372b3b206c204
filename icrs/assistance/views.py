"""The assistance catalogue's pages (administrators). The case actions are in case_views."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.assistance import catalogue
from icrs.assistance.forms import (
    AssistanceTypeForm,
    FundingSourceForm,
    NewAssistanceTypeForm,
    PeriodForm,
)
from icrs.assistance.models import AssistanceType, FundingSource, ProgrammePeriod
from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.models import Region
from icrs.core.views import form_error, show_refusal
from icrs.extensions import db

bp = Blueprint("assistance", __name__, url_prefix="/assistance")
TYPE_FIELDS = ("name_fr", "name_en", "kind", "unit_value", "currency", "funding_source_id",
               "eligible_categories", "eligible_pathways", "eligible_regions", "cap_per_person",
               "cap_per_household", "cap_per_period", "items")


@bp.app_template_filter("money")
def money(value, currency="XAF"):
    return f"{format_decimal(value or 0)} {currency}"


@bp.route("/catalogue")
@permission_required("admin.assistance")
def catalogue_index():
    return render_template(
        "assistance/catalogue.html",
        types=db.session.scalars(db.select(AssistanceType).order_by(
            AssistanceType.active.desc(), AssistanceType.code)).all(),
        sources=db.session.scalars(db.select(FundingSource).order_by(FundingSource.code)).all(),
        periods=db.session.scalars(db.select(ProgrammePeriod).order_by(
            ProgrammePeriod.starts_on.desc())).all())


def _choices(form, assistance_type=None):
    sources = db.session.scalars(db.select(FundingSource).order_by(FundingSource.code)).all()
    form.funding_source_id.choices = [(s.id, s.label) for s in sources if s.active or (
        assistance_type is not None and s.id == assistance_type.funding_source_id)]
    form.eligible_regions.choices = [(r.id, r.name) for r in db.session.scalars(
        db.select(Region).order_by(Region.code))]
    return form


def _type_page(form, assistance_type, status=200):
    return render_template("assistance/type_form.html", form=form,
                           assistance_type=assistance_type), status


@bp.route("/catalogue/types/new", methods=["GET", "POST"])
@permission_required("admin.assistance")
def type_new():
    form = _choices(NewAssistanceTypeForm())
    if form.validate_on_submit():
        try:
            catalogue.create_type(current_user, form.code.data,
                                  {k: getattr(form, k).data for k in TYPE_FIELDS})
        except DomainError as exc:
            return form_error(form, exc, "assistance/type_form.html", assistance_type=None)
        db.session.commit()
        flash(_l("Assistance type added."), "success")
        return redirect(url_for("assistance.catalogue_index"))
    return _type_page(form, None, 400 if request.method == "POST" else 200)


@bp.route("/catalogue/types/<int:type_id>", methods=["GET", "POST"])
@permission_required("admin.assistance")
def type_edit(type_id):
    assistance_type = db.session.get(AssistanceType, type_id) or abort(404)
    form = AssistanceTypeForm(obj=assistance_type if request.method == "GET" else None)
    if request.method == "GET":
        form.items.data = catalogue.items_text(assistance_type)
    _choices(form, assistance_type)
    if form.validate_on_submit():
        try:
            catalogue.update_type(current_user, assistance_type,
                                  {k: getattr(form, k).data for k in TYPE_FIELDS})
        except DomainError as exc:
            return form_error(form, exc, "assistance/type_form.html",
                              assistance_type=db.session.get(AssistanceType, type_id))
        db.session.commit()
        flash(_l("Assistance type saved."), "success")
        return redirect(url_for("assistance.catalogue_index"))
    return _type_page(form, assistance_type, 400 if request.method == "POST" else 200)


@bp.route("/catalogue/types/<int:type_id>/active", methods=["POST"])
@permission_required("admin.assistance")
def type_active(type_id):
    assistance_type = db.session.get(AssistanceType, type_id) or abort(404)
    active = request.form.get("active") == "1"
    try:
        catalogue.set_type_active(current_user, assistance_type, active)
    except DomainError as exc:
        show_refusal(exc)
        return redirect(url_for("assistance.catalogue_index"))
    db.session.commit()
    flash(_l("Assistance type reactivated.") if active else
          _l("Assistance type retired: it stays on the entitlements that have it, and is no "
             "longer offered."), "success")
    return redirect(url_for("assistance.catalogue_index"))


@bp.route("/catalogue/funding-sources/new", methods=["GET", "POST"])
@permission_required("admin.assistance")
def funding_source_new():
    form = FundingSourceForm()
    if form.validate_on_submit():
        try:
            catalogue.create_funding_source(current_user, form.code.data, form.name.data,
                                            form.donor.data, form.project.data)
        except DomainError as exc:
            return form_error(form, exc, "assistance/simple_form.html",
                              title=_l("New funding source"))
        db.session.commit()
        flash(_l("Funding source added."), "success")
        return redirect(url_for("assistance.catalogue_index"))
    return render_template("assistance/simple_form.html", form=form,
                           title=_l("New funding source")), \
        400 if request.method == "POST" else 200


@bp.route("/catalogue/periods/new", methods=["GET", "POST"])
@permission_required("admin.assistance")
def period_new():
    form = PeriodForm()
    if form.validate_on_submit():
        try:
            catalogue.create_period(current_user, form.name.data, form.starts_on.data,
                                    form.ends_on.data)
        except DomainError as exc:
            return form_error(form, exc, "assistance/simple_form.html",
                              title=_l("New programme period"))
        db.session.commit()
        flash(_l("Programme period added."), "success")
        return redirect(url_for("assistance.catalogue_index"))
    return render_template("assistance/simple_form.html", form=form,
                           title=_l("New programme period")), \
        400 if request.method == "POST" else 200


# the case actions, the reconciliation export and the spot-checks' pages register on `bp`
from icrs.assistance import (  # noqa: E402,F401
    case_views,
    reconciliation_views,
    verification_views,
)
