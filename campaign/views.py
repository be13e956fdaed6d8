from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from orgs.roles import roles_of

from .health import broker_problem, database_problem


@never_cache
def healthz(request):
    """200 when the database and the broker answer; 503 with the reasons when not."""
    problems = [p for p in (database_problem(), broker_problem()) if p]
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    """The home page of the role tab the person picked (default: the widest role they hold)."""
    roles = roles_of(request.user)
    tab = request.GET.get("as") or roles.widest
    if tab not in roles.tabs and tab != "admin":
        tab = roles.tabs[0] if roles.tabs else "none"
    if tab == "admin":
        tab = "supervisor"
    targets = {
        "supervisor": "campaign:dashboard_home",
        "secretary": "pledges:branch_home",
        "member": "pledges:my_pledges",
    }
    if tab in targets:
        return HttpResponseRedirect(reverse(targets[tab]))
    return render(request, "campaign/home_no_role.html")


@require_POST
def elder_mode_toggle(request):
    """Switch 长辈模式 on or off: remembered in a cookie (this browser) and on the account."""
    enabled = request.POST.get("enabled") == "1"
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.user.is_authenticated:
        request.user.elder_mode = enabled
        request.user.save(update_fields=["elder_mode"])
    response = HttpResponseRedirect(next_url)
    response.set_cookie("elder_mode", "1" if enabled else "0", max_age=365 * 24 * 3600, samesite="Lax")
    messages.success(request, _("Elder mode is on.") if enabled else _("Elder mode is off."))
    return response


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.user.must_change_password = False
            self.request.user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
        return response
