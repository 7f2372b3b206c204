"""Assistance figures, their suppression, the donor file and the finance reconciliation export,
on hand-made entitlements and ledger lines with known sums."""
import csv
import datetime as dt
import io
import itertools
import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from icrs.assistance.models import (
    AssistanceKind,
    AssistanceType,
    Entitlement,
    FundingSource,
    Handover,
    ProgrammePeriod,
    ReceiptMethod,
)
from icrs.assistance.states import EntitlementStatus as S
from icrs.audit.models import AuditEntry, ExportJustification
from icrs.dashboard import assistance_queries
from icrs.dashboard.dims import dimension
from icrs.dashboard.filters import Filters
from icrs.dashboard.suppression import HIDDEN, MASK
from icrs.extensions import db
from tests.dashboard.attack import recovered
from tests.dashboard.conftest import add_person

D = dt.datetime
YEAR = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
REASON = {"reason_category": "programme_audit",
          "reason": "Quarterly reconciliation of the IOM grant with the finance unit"}
_n = itertools.count(1)


def _type(code, source, name, unit):
    kind = AssistanceType(code=code, kind=AssistanceKind.CASH_GRANT, name_fr=name, name_en=name,
                          unit_value=unit, currency="XAF", funding_source_id=source.id)
    db.session.add(kind)
    db.session.flush()
    return kind


def _entitlement(w, person, kind, amount, status=S.APPROVED, approved=D(2024, 3, 1),
                 disbursed=0):
    granted = status in (S.APPROVED, S.DISBURSED)
    entitlement = Entitlement(id=uuid.uuid4(), person_id=person.id, assistance_type_id=kind.id,
                              amount=amount, currency="XAF", status=status,
                              disbursed=disbursed, proposed_by_id=w.worker.id,
                              approved_by_id=w.supervisor.id if granted else None,
                              approved_at=approved if granted else None)
    db.session.add(entitlement)
    db.session.flush()
    return entitlement


def _line(w, entitlement, value, day, reverses=None):
    line = Handover(id=uuid.uuid4(), entitlement_id=entitlement.id,
                    person_id=entitlement.person_id, handed_on=day,
                    site_id=w.people_site[entitlement.person_id], value=value,
                    given_by_id=w.worker.id, recorded_at=D.combine(day, dt.time(10)),
                    reverses_id=getattr(reverses, "id", None),
                    receipt_method=None if reverses else ReceiptMethod.THUMBPRINT)
    db.session.add(line)
    db.session.flush()
    return line


def _people(w, n, site, sex, **identity):
    made = [add_person(f"a{next(_n)}", D(2023, 6, 1), w.sites[site], sex, 1990,
                       "adult_man" if sex == "male" else "adult_woman", "planned", **identity)
            for _ in range(n)]
    w.people_site.update({p.id: p.site_id for p in made})
    return made


@pytest.fixture
def world(db, make):
    """Grant (IOM): 6 women and 3 men of Méri, 7 women of Mora (Far North), 5 men of Bamenda
    (North-West) approved in 2024 at 100,000 XAF; Kit (EU): 5 women of Méri at 50,000, one of
    them fully disbursed. Not committed: a proposal, a rejection, one approved in 2023."""
    w = SimpleNamespace(people_site={})
    w.en, w.nw = make.region("EN", "Extrême-Nord", "Far North", pcode="CM004"), \
        make.region("NW", "Nord-Ouest", "North-West", pcode="CM008")
    w.sites = {"MER": make.site("MER", w.en), "MOR": make.site("MOR", w.en),
               "BAM": make.site("BAM", w.nw)}
    w.worker = make.user("caseworker", site=w.sites["MER"], username="cw_meri")
    w.supervisor = make.user("supervisor", region=w.en, username="sup_en", locale="en")
    w.iom = FundingSource(code="iom", name="DDR grant", donor="IOM")
    w.eu = FundingSource(code="eu", name="EU kits", donor="EU")
    db.session.add_all([w.iom, w.eu])
    db.session.flush()
    w.grant, w.kit = _type("grant", w.iom, "Start-up grant", 100000), \
        _type("kit", w.eu, "Tailoring kit", 50000)
    w.women_mer = _people(w, 6, "MER", "female", first_name="Zenabou")
    w.men_mer = _people(w, 3, "MER", "male")
    w.women_mor = _people(w, 7, "MOR", "female")
    w.men_bam = _people(w, 5, "BAM", "male")
    w.grants = {p.id: _entitlement(w, p, w.grant, 100000)
                for p in w.women_mer + w.men_mer + w.women_mor + w.men_bam}
    w.kits = [_entitlement(w, p, w.kit, 50000) for p in w.women_mer[1:]]
    w.kits[0].status, w.kits[0].disbursed = S.DISBURSED, 50000
    _entitlement(w, w.men_mer[0], w.kit, 50000, status=S.PROPOSED)
    _entitlement(w, w.men_mer[1], w.kit, 50000, status=S.REJECTED)
    _entitlement(w, w.men_bam[0], w.kit, 50000, approved=D(2023, 5, 1))
    _ledger(w)
    w.period = ProgrammePeriod(name="2024", starts_on=dt.date(2024, 1, 1),
                               ends_on=dt.date(2024, 12, 31))
    db.session.add(w.period)
    db.session.commit()
    return w


def _ledger(w):
    """Disbursed in 2024: 30,000 + 40,000 to the first woman of Méri (a wrong 20,000 reversed),
    the full kit of 50,000; 10,000 in 2025, outside the year."""
    first = w.grants[w.women_mer[0].id]
    w.lines = [_line(w, first, 30000, dt.date(2024, 4, 1)),
               _line(w, first, 40000, dt.date(2024, 5, 1))]
    wrong = _line(w, first, 20000, dt.date(2024, 5, 2))
    w.reversal = _line(w, first, -20000, dt.date(2024, 5, 3), reverses=wrong)
    w.lines += [wrong, w.reversal, _line(w, w.kits[0], 50000, dt.date(2024, 6, 1)),
                _line(w, first, 10000, dt.date(2025, 1, 5))]
    first.disbursed = 80000


def _figures(user, **filters):
    chosen = Filters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), **filters)
    dim = dimension(chosen.by, chosen, user)
    return {f.key: f for f in assistance_queries.figures(chosen, dim,
                                                         assistance_queries.type_names())}


def _row(table, key):
    return next(r for r in table.rows if r.key == key)


def test_committed_counts_approved_and_fully_disbursed_in_the_period(world, make):
    committed = _figures(make.user("admin"))["committed"]
    grant, kit = _row(committed.amounts, world.grant.id), _row(committed.amounts, world.kit.id)
    assert grant.cells == [1300000, 800000] and grant.total == 2100000  # female, male
    assert kit.cells == [250000, 0] and kit.total == 250000
    assert _row(committed.people, world.grant.id).cells == [13, 8]
    assert committed.amounts.rows[-1].total == 2350000


def test_disbursed_is_net_of_reversals_and_counts_a_reversal_once(world, make):
    disbursed = _figures(make.user("admin"), by="site")["disbursed"]
    grant = _row(disbursed.amounts, world.grant.id)
    assert grant.total == 70000  # 30,000 + 40,000: the 20,000 and its reversal cancel out
    assert _row(disbursed.people, world.grant.id).total == 1
    assert _row(disbursed.amounts, world.kit.id).total == 50000
    assert disbursed.amounts.rows[-1].total == 120000


def test_verified_is_zero_without_verified_assistance(world, make):
    assert _figures(make.user("admin"))["verified"].amounts.rows[-1].total == 0


def test_a_cell_of_three_people_is_hidden_and_cannot_be_worked_out(world, make):
    meri = _figures(make.user("admin"), site_id=world.sites["MER"].id)["committed"]
    assert _row(meri.people, world.grant.id).cells == [6, 3]  # women, men of Méri
    shared = meri.shared()
    assert _row(shared.people, world.grant.id).cells[1] == MASK
    assert _row(shared.amounts, world.grant.id).cells[1] == HIDDEN
    for table in (shared.people, shared.amounts):
        published = [[*r.cells, r.total] for r in table.rows]
        # the 300,000 of the three men is not 900,000 - 600,000: more is hidden with it
        assert sum(isinstance(v, str) for line in published for v in line) > 2
        assert recovered(published, has_total_row=True) == {}


def test_supervisor_sees_their_region_only(world, client, login_as):
    login_as(world.supervisor)
    page = client.get("/dashboard/assistance", query_string={**YEAR, "by": "region"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Far North" in text and "North-West" not in text
    assert "1,600,000" in text  # the Far North's grants: 16 × 100,000
    other = client.get("/dashboard/assistance", query_string={**YEAR, "region": world.nw.id})
    assert other.status_code == 403
    site = client.get("/dashboard/assistance/donor.csv",
                      query_string={**YEAR, "site": world.sites["BAM"].id})
    assert site.status_code == 403


def test_donor_file_is_suppressed_and_hxl_tagged(world, client, login_as):
    login_as("monitoring", locale="en")
    response = client.get("/dashboard/assistance/donor.csv",
                          query_string={**YEAR, "by": "region", "site": world.sites["MER"].id})
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[1][:3] == ["#org+funder", "#sector", "#adm1+name"]
    assert "#value+committed+xaf" in lines[1] and "#affected+num+committed" in lines[1]
    assert "#value+disbursed+xaf" in lines[1]
    committed = lines[1].index("#affected+num+committed")
    grant = [line for line in lines[2:] if line[1] == "Start-up grant"]
    assert all(line[committed] in ("", "0", MASK, HIDDEN) or int(line[committed]) >= 5
               for line in lines[2:])
    assert any(line[committed] == "9" for line in grant)  # Méri: 9 people, shown


@pytest.mark.parametrize("role", ["caseworker", "provider"])
def test_case_and_provider_roles_get_403(world, client, login_as, role):
    login_as(role)
    assert client.get("/dashboard/assistance").status_code == 403
    assert client.get("/dashboard/assistance/donor.csv").status_code == 403
    assert client.get("/assistance/reconciliation").status_code == 403
    assert client.post("/assistance/reconciliation", data={}).status_code == 403


@pytest.mark.parametrize("role", ["monitoring", "supervisor"])
def test_only_an_admin_gets_the_reconciliation(world, client, login_as, role):
    login_as(role)
    assert client.get("/assistance/reconciliation").status_code == 403
    response = client.post("/assistance/reconciliation",
                           data={"funding_source_id": world.iom.id,
                                 "period_id": world.period.id, **REASON})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "assistance.reconciliation_export")) == 0


def _reconcile(client, world, monkeypatch=None, **data):
    return client.post("/assistance/reconciliation",
                       data={"funding_source_id": world.iom.id, "period_id": world.period.id,
                             **REASON, **data})


def test_reconciliation_lists_lines_by_case_number_only_and_is_audited(
        world, client, login_as, monkeypatch):
    from icrs.crypto import envelope
    calls = []
    original = envelope.decrypt_field
    monkeypatch.setattr(envelope, "decrypt_field",
                        lambda *a: calls.append(a[2:4]) or original(*a))
    admin = login_as("admin", locale="en")
    response = _reconcile(client, world)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert "Zenabou" not in text and not calls
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    first = world.women_mer[0]
    lines = [r for r in rows[1:] if r[3] != "Total of the entitlement"]
    assert len(lines) == 4 and {r[0] for r in lines} == {first.case_number}  # 2025 left out
    reversal = next(r for r in lines if r[6] == "-20000")
    assert reversal[7] == str(world.reversal.reverses_id) and reversal[10] == ""
    corrected = next(r for r in lines if r[3] == str(world.reversal.reverses_id))
    assert corrected[8] == str(world.reversal.id) and corrected[9] == "cw_meri"
    assert corrected[10] == "Thumbprint, declared with a witness"
    total = next(r for r in rows if r[3] == "Total of the entitlement")
    assert total[6] == "70000" and total[11] == "100000"
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "assistance.reconciliation_export")).one()
    assert entry.actor_id == admin.id and '"rows":4' in entry.details
    assert "Zenabou" not in entry.details and first.case_number not in entry.details
    assert db.session.get(ExportJustification, entry.seq) is not None


def test_reconciliation_needs_a_reason(world, client, login_as):
    login_as("admin", locale="en")
    response = _reconcile(client, world, reason="because")
    assert response.status_code == 400 and "text/html" in response.content_type
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "assistance.reconciliation_export")) == 0
    assert _reconcile(client, world, period_id="999").status_code == 400
