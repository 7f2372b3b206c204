"""`flask icrs demo-logins` issues a fresh demo partner token (none is kept in the repository):
it works on the FHIR API, and the one printed before it stops working."""
import re

from icrs.demo.accounts import PROVIDER_ORGS


def _printed_token(app):
    result = app.test_cli_runner().invoke(args=["icrs", "demo-logins"])
    assert result.exit_code == 0, result.output
    return re.search(r"Bearer (icrs_fhir_\S+)'", result.output).group(1)


def test_demo_logins_print_a_working_partner_token(app, client, db, make):
    make.user("admin", username="admin")
    make.organisation(PROVIDER_ORGS[0][0])
    db.session.commit()
    first = _printed_token(app)
    assert client.get("/fhir/r4/Task", headers={"Authorization": f"Bearer {first}"}) \
        .status_code == 200
    second = _printed_token(app)
    assert client.get("/fhir/r4/Task", headers={"Authorization": f"Bearer {second}"}) \
        .status_code == 200
    assert client.get("/fhir/r4/Task", headers={"Authorization": f"Bearer {first}"}) \
        .status_code == 401


def test_no_token_without_the_demo_data(app, db):
    result = app.test_cli_runner().invoke(args=["icrs", "demo-logins"])
    assert result.exit_code == 0 and "FHIR partner token" not in result.output
