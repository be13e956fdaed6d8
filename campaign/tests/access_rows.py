from tests.access import BAD_METHOD, LOGIN, OK, REDIRECT, Row, everyone, logged_in

ROWS = [
    Row("home", logged_in(REDIRECT)),
    Row("healthz", everyone(OK)),
    Row("elder_mode_toggle", everyone(BAD_METHOD), label="get"),
    Row("elder_mode_toggle", everyone(REDIRECT), method="post", data=lambda w: {"enabled": "1", "next": "/"}),
    Row("set_language", everyone(REDIRECT), method="post", data=lambda w: {"language": "en", "next": "/"}),
    Row("javascript_catalog", everyone(OK)),
    # The login page: signed-in people are sent on; a wrong password shows the form again.
    Row("login", everyone(REDIRECT, anonymous=OK)),
    Row(
        "login",
        everyone(REDIRECT, anonymous=OK),
        method="post",
        data=lambda w: {"username": "member", "password": "wrong-guess"},
        label="wrong password",
    ),
    Row(
        "login",
        everyone(REDIRECT),
        method="post",
        data=lambda w: {"username": "member", "password": "test-pass-123"},
        label="right password",
    ),
    Row("logout", everyone(BAD_METHOD), label="get"),
    Row("logout", everyone(LOGIN), method="post"),
    Row("password_change", logged_in(OK)),
    Row("password_change_done", logged_in(OK)),
    Row("admin:index", everyone(REDIRECT, admin=OK)),
]
