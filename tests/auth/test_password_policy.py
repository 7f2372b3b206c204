"""Password policy (NIST SP 800-63B with zxcvbn) on every way a password is set: the account page
(tests/auth/test_login.py), the admin's create and reset forms, and `flask icrs create-user`."""
import pytest

from icrs.auth.models import User
from icrs.auth.passwords import validate_new_password
from icrs.core.errors import DomainError

WEAK = ["aaaaaaaaaa", "1234567890", "password12", "qwertyuiop", "ngozi.fon.2025"]


@pytest.mark.parametrize("password", WEAK + ["short"])
def test_weak_passwords_are_refused(db, password):
    user = User(username="ngozi.fon", full_name="Ngozi Fon", email="ngozi@example.org")
    with pytest.raises(DomainError) as refused:
        validate_new_password(user, password)
    assert refused.value.field == "new_password"


def test_the_reason_names_the_account_names(app, db):
    user = User(username="ngozi.fon", full_name="Ngozi Fon")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(DomainError) as refused:
            validate_new_password(user, "ngozi.fon.2025")
        assert "your name, username" in str(refused.value.message)


@pytest.mark.parametrize("password", ["correct horse battery", "Lion-Tambour-Mangue-42"])
def test_good_passphrases_pass(db, password):
    validate_new_password(User(username="someone", full_name="Some One"), password)


def _new_user_form(password, username="new.worker"):
    return {"username": username, "full_name": "Ngozi Fon", "email": "", "role": "admin",
            "site_id": "", "region_id": "", "organisation_id": "", "password": password}


def test_admin_create_form_refuses_a_common_password_at_the_field(client, login_as, db):
    login_as("admin")  # French by default
    response = client.post("/admin/users/new", data=_new_user_form("password12"))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "trop facile à deviner" in body and "mot de passe ou un mot courant" in body
    assert db.session.query(User).filter_by(username="new.worker").count() == 0


def test_admin_reset_refuses_a_weak_password(client, login_as, make, db):
    target = make.user("caseworker")
    login_as("admin")
    client.post(f"/admin/users/{target.id}/reset-password",
                data={"reset-new_password": "1234567890"})
    db.session.expire_all()
    assert not db.session.get(User, target.id).check_password("1234567890")


def test_cli_create_user_refuses_a_weak_password(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["icrs", "create-user", "boss", "--role", "admin",
                                 "--password", "aaaaaaaaaa"])
    assert result.exit_code != 0
    assert db.session.query(User).filter_by(username="boss").count() == 0
    ok = runner.invoke(args=["icrs", "create-user", "boss", "--role", "admin",
                             "--password", "Lion-Tambour-Mangue-42"])
    assert ok.exit_code == 0, ok.output
