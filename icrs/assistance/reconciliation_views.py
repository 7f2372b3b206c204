"""The finance reconciliation export (administrators): a funding source, a programme period
and a justification, then the ledger lines as a streamed CSV, never cached."""
from flask import Response, render_template, stream_with_context
from flask_login import current_user

from icrs.assistance import reporting
from icrs.assistance.forms import ReconciliationForm
from icrs.assistance.models import FundingSource, ProgrammePeriod
from icrs.assistance.views import bp
from icrs.auth.access import permission_required
from icrs.core.timeutil import today
from icrs.extensions import db


def _form():
    form = ReconciliationForm()
    form.funding_source_id.choices = [(s.id, s.label) for s in db.session.scalars(
        db.select(FundingSource).order_by(FundingSource.code))]
    form.period_id.choices = [(p.id, p.name) for p in db.session.scalars(
        db.select(ProgrammePeriod).order_by(ProgrammePeriod.starts_on.desc()))]
    return form


@bp.route("/reconciliation", methods=["GET", "POST"])
@permission_required("assistance.reconciliation")
def reconciliation():
    form = _form()
    if form.validate_on_submit():
        source = db.session.get(FundingSource, form.funding_source_id.data)
        period = db.session.get(ProgrammePeriod, form.period_id.data)
        reporting.start_reconciliation(current_user, source, period,
                                       form.reason_category.data, form.reason.data)
        db.session.commit()  # the audit entry is kept before any line leaves
        return _stream(source, period)
    status = 400 if form.is_submitted() else 200
    return render_template("assistance/reconciliation.html", form=form), status


def _stream(source, period):
    name = f"icrs-reconciliation-{source.code}-{period.id}-{today().isoformat()}.csv"
    response = Response(stream_with_context(reporting.generate_csv(source, period)),
                        mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response
