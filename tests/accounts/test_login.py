from tests.factories import make_user


def test_sign_in_and_out(client, login, db):
    user = make_user()
    login(user)
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json["email"] == user.email
    response = client.form_post("/logout")
    assert response.status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_password_and_unknown_email_look_the_same(client, db):
    user = make_user()
    client.get("/login")
    wrong = client.form_post("/login", {"email": user.email, "password": "nope-nope-nope"})
    unknown = client.form_post("/login", {"email": "ghost@example.test", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 200
    assert _flash(wrong.get_data(as_text=True)) == _flash(unknown.get_data(as_text=True))


def _flash(html: str) -> str:
    start = html.index('class="flash flash-error"')
    return html[start : html.index("</p>", start)]
