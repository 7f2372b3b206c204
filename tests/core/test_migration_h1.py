"""Migration 0007_h1: stored `pcm` becomes `wes` (people, services, profile versions), and a
closed case that lost its stage to return to gets it back before the CHECK is added."""
import datetime as dt

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from icrs.directory.details import ServiceLanguage
from icrs.directory.models import Organisation, Service
from icrs.directory.taxonomy import category_by_code
from icrs.extensions import db
from icrs.people import services, stages
from icrs.people.models import Person
from icrs.people.states import Stage
from tests.core import test_migrations
from tests.factories import Factory

migrated_app = test_migrations.migrated_app  # the same fixture: an upgraded empty database


def _person(worker, **data):
    base = {"first_name": "Amina", "last_name": "Bello", "sex": "female", "birth_year": 1990,
            "birth_date": dt.date(1990, 1, 1), "category": "adult_woman", "languages": ["en"]}
    return services.register_person(worker, worker.site, {**base, **data})


def _service(org, codes):
    service = Service(organisation=org, name="Tailoring", description="d",
                      category=category_by_code("vocational_training"))
    service.languages = [ServiceLanguage(code=c, name=c) for c in codes]
    db.session.add(service)
    return service


def _seed():
    make = Factory("a-long-test-password")
    worker = make.user("caseworker")
    pidgin = _person(worker, languages=["en", "pcm"])
    both = _person(worker, languages=["pcm", "wes"])
    closed = _person(worker)
    stages.change_stage(worker, closed, Stage.SUSPENDED, "unreachable")
    stages.change_stage(worker, closed, Stage.EXITED, "dropped_out")
    org = Organisation(name="Centre B")
    db.session.add(org)
    one, two = _service(org, ["pcm", "en"]), _service(org, ["pcm", "wes"])
    db.session.commit()
    return [p.id for p in (pidgin, both, closed)], [one.id, two.id]


def _languages(service_id):
    return sorted(db.session.scalars(sa.select(ServiceLanguage.code).where(
        ServiceLanguage.service_id == service_id)))


def test_0007_converts_pcm_and_repairs_stage_before(migrated_app):
    from icrs.directory.taxonomy import ensure_taxonomy
    ensure_taxonomy()
    (pidgin, both, closed), (one, two) = _seed()
    db.session.remove()
    downgrade(revision="0006")
    with db.engine.begin() as conn:  # the state the bug left behind
        conn.execute(sa.text("UPDATE person SET stage_before = NULL WHERE stage = 'exited'"))
    upgrade()
    assert db.session.get(Person, pidgin).languages == ["en", "wes"]
    assert db.session.get(Person, both).languages == ["wes"]
    assert _languages(one) == ["en", "wes"] and _languages(two) == ["wes"]
    assert db.session.get(Person, closed).stage_before == Stage.REGISTERED
    assert test_migrations._differences(migrated_app) == []


@pytest.mark.parametrize("stage, before", [("exited", None), ("registered", "profiled"),
                                           ("suspended", "exited")])
def test_0007_check_refuses_a_stage_before_that_does_not_fit_the_stage(migrated_app, stage,
                                                                       before):
    make = Factory("a-long-test-password")
    person = _person(make.user("caseworker"))
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE person SET stage = :s, stage_before = :b WHERE id = :i"),
                         {"s": stage, "b": before, "i": person.id.hex if
                          db.engine.dialect.name == "sqlite" else person.id})
