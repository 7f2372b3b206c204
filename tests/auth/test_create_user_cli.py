"""`flask icrs create-user`: every role, with site, region, organisation and e-mail."""
import sqlalchemy as sa

from icrs.auth.models import User

PASSWORD = ["--password", "long-enough-pass"]


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["icrs", "create-user", *args, *PASSWORD])


def _user(db, username):
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_caseworker_with_site_organisation_and_email(app, make, db):
    site = make.site("MER", region="EN")
    make.organisation("CNDDR")
    db.session.commit()
    result = _run(app, "cw.cli", "--role", "caseworker", "--site", "mer", "--organisation",
                  "CNDDR", "--email", "cw@example.org", "--full-name", "Awa Bouba")
    assert result.exit_code == 0, result.output
    user = _user(db, "cw.cli")
    assert user.site_id == site.id and user.organisation.name == "CNDDR"
    assert (user.email, user.full_name) == ("cw@example.org", "Awa Bouba")


def test_caseworker_without_site_is_a_clear_error(app, db):
    result = _run(app, "cw.nosite", "--role", "caseworker")
    assert result.exit_code != 0
    # the service's message (in the default language) and where to give the site
    assert result.output.startswith("Error: ") and "site." in result.output
    assert "--site" in result.output and "Traceback" not in result.output
    assert _user(db, "cw.nosite") is None


def test_unknown_codes_and_organisations_are_named(app, db):
    result = _run(app, "x.cli", "--role", "supervisor", "--region", "ZZ")
    assert result.exit_code != 0 and "Unknown region code: ZZ" in result.output
    result = _run(app, "x.cli", "--role", "provider", "--organisation", "Nobody")
    assert result.exit_code != 0 and "Unknown organisation: Nobody" in result.output
    assert _user(db, "x.cli") is None


def test_reader_for_a_region_and_provider_by_organisation_id(app, make, db):
    region = make.region("EN")
    org = make.organisation("IOM")
    db.session.commit()
    assert _run(app, "me.cli", "--role", "monitoring", "--region", "EN").exit_code == 0
    assert _user(db, "me.cli").region_id == region.id
    result = _run(app, "prov.cli", "--role", "provider", "--organisation", str(org.id))
    assert result.exit_code == 0, result.output
    assert _user(db, "prov.cli").organisation_id == org.id


def test_national_reader_and_admin(app, db):
    assert _run(app, "me.nat", "--role", "monitoring").exit_code == 0
    assert _user(db, "me.nat").scope.national
    assert _run(app, "admin.cli", "--role", "admin").exit_code == 0
    assert _run(app, "bad.role", "--role", "emperor").exit_code != 0
