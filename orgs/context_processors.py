from .roles import roles_of


def roles(request):
    """Expose the signed-in person's roles and the elder-mode switch to every template."""
    user = getattr(request, "user", None)
    user_roles = roles_of(user)
    elder_cookie = request.COOKIES.get("elder_mode") == "1"
    elder_mode = elder_cookie or bool(user is not None and user.is_authenticated and user.elder_mode)
    return {"roles": user_roles, "elder_mode": elder_mode}
