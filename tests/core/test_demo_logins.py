"""`flask icrs demo-logins` says where each login works: a provider's organisation too."""
from icrs.demo.accounts import PROVIDER_ORGS, USERS, demo_logins


def test_each_provider_login_names_its_organisation(app):
    logins = {username: scope for username, _role, scope in demo_logins()}
    assert logins["provider"] == f"organisation: {PROVIDER_ORGS[0][0]}"
    assert logins["provider2"] == f"organisation: {PROVIDER_ORGS[1][0]}"
    assert logins["caseworker"] == "site Méri" and logins["admin"] == "system"
    assert logins["supervisor.national"] == "all regions"
    assert logins["suivi.national"] == "all regions"
    assert logins["suivi.en"] == "region Extrême-Nord"
    assert len(logins) == len(USERS)


def test_the_command_prints_them(app):
    result = app.test_cli_runner().invoke(args=["icrs", "demo-logins"])
    assert result.exit_code == 0
    assert "Bamenda Psychosocial Support Network" in result.output
    assert "suivi.national" in result.output and "monitoring" in result.output
