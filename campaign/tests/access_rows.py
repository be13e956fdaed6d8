from tests.access import BAD_METHOD, FORBIDDEN, LOGIN, OK, REDIRECT, Row, everyone, logged_in

ROWS = [
    Row("home", logged_in(REDIRECT)),
    Row("healthz", everyone(OK)),
    Row("elder_mode_toggle", everyone(BAD_METHOD), label="get"),
    Row("elder_mode_toggle", everyone(REDIRECT), method="post", data=lambda w: {"enabled": "1", "next": "/"}),
    Row("set_language", everyone(REDIRECT), method="post", data=lambda w: {"language": "en", "next": "/"}),
    Row("javascript_catalog", everyone(OK)),
    Row("login", everyone(OK, **{role: REDIRECT for role in ("member", "secretary_same", "secretary_other", "supervisor_above", "supervisor_sibling", "admin")})),
    Row("logout", everyone(LOGIN), method="post"),
    Row("password_change", logged_in(OK)),
    Row("password_change_done", logged_in(OK)),
    Row(
        "campaign:dashboard_home",
        logged_in(OK, member=FORBIDDEN),
    ),
    Row("admin:index", everyone(REDIRECT, admin=OK)),
]
