from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from orgs.roles import roles_of


@login_required
def dashboard_home(request):
    roles = roles_of(request.user)
    if not (roles.is_supervisor or roles.is_admin or roles.is_secretary):
        raise PermissionDenied
    return render(request, "campaign/dashboard.html", {})
