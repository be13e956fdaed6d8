from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import EmailPreferencesForm
from .models import Notification
from .services import email_preferences, notification_mark_read, notifications_mark_all_read, preferences_update

PAGE_SIZE = 20


@login_required
def notification_list(request):
    """The notification centre: the person's own notifications, newest first, paginated."""
    notifications = Notification.objects.visible_to(request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = Notification.objects.visible_to(request.user).unread().count()
    return render(request, "notifications/notification_list.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one notification read, then open what it is about (or go back to the list)."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    notification_mark_read(notification=notification, by=request.user)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    messages.success(request, _("Marked as read."))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    changed = notifications_mark_all_read(user=request.user)
    if changed:
        messages.success(request, _("All notifications are marked as read."))
    else:
        messages.info(request, _("There was nothing unread."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    """Per kind: also by e-mail or in the notification centre only."""
    current = email_preferences(request.user)
    initial = {"email_kinds": [kind for kind, wanted in current.items() if wanted]}
    form = EmailPreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        preferences_update(user=request.user, email_kinds=form.cleaned_data["email_kinds"])
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preference_form.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
