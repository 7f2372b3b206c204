"""CSRF protection is on outside the test config; a form without the token is refused."""
import re

from tests.conftest import TEST_PASSWORD


def test_post_without_csrf_token_is_refused(app, client, make, db):
    user = make.user("caseworker")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/login", data={"username": user.username,
                                                "password": TEST_PASSWORD})
        assert response.status_code == 400
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        ok = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD,
                                         "csrf_token": token})
        assert ok.status_code == 302
        assert client.post("/logout").status_code == 400  # logged in, still needs the token
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
