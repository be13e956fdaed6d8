from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from orgs.models import Organization

from .models import Pledge


@login_required
def my_pledges(request):
    return render(request, "pledges/placeholder.html", {})


@login_required
def branch_home(request):
    return render(request, "pledges/placeholder.html", {})


@login_required
def search(request):
    return render(request, "pledges/placeholder.html", {})


@login_required
def detail(request, pk):
    pledge = get_object_or_404(Pledge.objects.visible_to(request.user), pk=pk)
    return render(request, "pledges/placeholder.html", {"pledge": pledge})


def board(request, code):
    org = get_object_or_404(Organization.objects.active(), code=code)
    return render(request, "pledges/placeholder.html", {"org": org})
