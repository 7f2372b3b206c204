"""The groups dashboard: the group, its mixed share (suppressed for shared readers) and the
change of the cohesion answers between the first and latest follow-up."""
import datetime as dt
import re

import pytest

from icrs.groups import services
from tests.conftest import signed_in


@pytest.fixture
def cooperative(db, worker, ex_associate, community_member):
    group = services.create_group(worker, "Coopérative des femmes de Méri", "cooperative")
    people = [ex_associate() for _ in range(3)] + [community_member() for _ in range(2)]
    for person in people:
        services.add_member(worker, group, person)
    services.change_status(worker, group, "active")
    today = dt.date.today()
    services.record_follow_up(worker, group, today - dt.timedelta(days=60), 2, 3, 0, "no")
    services.record_follow_up(worker, group, today, 4, 4, 2, "yes")
    db.session.commit()
    return group


def _cells(body, label):
    row = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", body, re.S)
    assert row, label
    return re.findall(r"<td[^>]*>(?:<strong>)?([^<]*)", row.group(1))


def test_supervisor_sees_the_figures(app, db, make, cooperative):
    supervisor = make.user("supervisor", region="EN", locale="en")
    db.session.commit()
    body = signed_in(app, supervisor).get("/dashboard/groups").get_data(as_text=True)
    assert _cells(body, "Coopérative des femmes de Méri") == ["3", "2", "5"]
    assert _cells(body, "Active")[0] == "1"  # a cooperative, active
    share = re.findall(r"40[.,]0", body)
    assert share, "the community members' share"
    trust = _cells(body, "Trust between members (1 very low – 5 very high)")
    assert trust[:2] == ["2.0", "4.0"] and trust[2] == "2.0"
    working = _cells(body, "Ex-associates and community members work together")
    assert working == ["0.0", "2.0", "2.0"]


def test_shared_readers_see_small_counts_suppressed(app, db, make, cooperative):
    monitoring = make.user("monitoring", region="EN", locale="en")
    db.session.commit()
    response = signed_in(app, monitoring).get("/dashboard/groups")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    cells = _cells(body, "Coopérative des femmes de Méri")
    assert "3" not in cells and "2" not in cells
    assert not re.search(r"40[.,]0", body)  # the share rests on 2 people: hidden
    assert "Moussa" not in body and "Hadja" not in body


def test_no_figures_for_caseworkers_or_providers(app, db, make, worker, facilitator):
    assert signed_in(app, worker).get("/dashboard/groups").status_code == 403
    assert signed_in(app, facilitator).get("/dashboard/groups").status_code == 403
