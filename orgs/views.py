from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from .models import Member, Organization
from .roles import roles_of


@login_required
def organization_detail(request, code):
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    members = Member.objects.active().filter(organization=org).select_related("user")
    children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
    return render(request, "orgs/organization_detail.html", {"org": org, "members": members, "children": children})


@login_required
def member_list(request):
    roles = roles_of(request.user)
    if not (roles.is_secretary or roles.is_admin or roles.is_supervisor):
        raise PermissionDenied
    members = Member.objects.visible_to(request.user).active().select_related("organization")[:200]
    return render(request, "orgs/member_list.html", {"members": members})


@login_required
def roster_import(request):
    if not roles_of(request.user).is_admin:
        raise PermissionDenied
    return render(request, "orgs/roster_import.html", {})
