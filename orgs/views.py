from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import initial_passwords, roster, services
from .forms import MemberForm, MoveOutForm, RosterImportForm
from .models import InitialPassword, Member, Organization, RosterImport
from .permissions import can_import_roster, can_manage_members, can_view_org, can_view_roster
from .roles import roles_of


def _with_org(url_name: str, org: Organization, *args) -> str:
    return f"{reverse(url_name, args=args)}?org={org.code}"


def _managed_org(request) -> Organization:
    """The organization whose members a page is about: ?org=<code> among those the person manages,
    else their own (the branch they lead, or the top of the subtree they supervise)."""
    code = request.GET.get("org") or request.POST.get("org")
    if code:
        return get_object_or_404(Organization.objects.member_managed_by(request.user), code=code)
    roles = roles_of(request.user)
    if roles.secretary_of:
        return roles.secretary_of[0]
    if roles.supervisor_of:
        return roles.supervisor_of[0]
    if roles.is_admin:
        root = Organization.objects.first()
        if root is None:
            raise Http404
        return root
    raise PermissionDenied


def _by_position(members) -> list[Member]:
    """Secretary first, then deputies, committee members, members; by name within each."""
    order = {value: index for index, value in enumerate(Member.Position.values)}
    return sorted(members, key=lambda m: (order.get(m.position, len(order)), m.name))


def _manageable_member(request, pk: int) -> Member:
    return get_object_or_404(
        Member.objects.manageable_by(request.user).active().select_related("organization", "user"), pk=pk
    )


# ---------------------------------------------------------------------------
# Organization page
# ---------------------------------------------------------------------------
@login_required
def organization_detail(request, code):
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    user = request.user
    ancestors = [(a, can_view_org(user, a)) for a in Organization.objects.ancestor_of(org, inclusive=False)]
    children = [
        (child, can_view_org(user, child))
        for child in Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).annotate(
            member_count=Count("members", filter=Q(members__is_active=True))
        )
    ]
    members = None
    if can_view_roster(user, org):
        members = _by_position(Member.objects.active().filter(organization=org).select_related("user"))
    return render(
        request,
        "orgs/organization_detail.html",
        {
            "org": org,
            "ancestors": ancestors,
            "children": children,
            "members": members,
            "can_manage": can_manage_members(user, org),
        },
    )


# ---------------------------------------------------------------------------
# Members, for secretaries (their organization) and supervisors (?org= in their subtree)
# ---------------------------------------------------------------------------
@login_required
def member_list(request):
    org = _managed_org(request)
    members = (
        Member.objects.active()
        .filter(organization=org)
        .select_related("user")
        .annotate(has_initial_password=Exists(InitialPassword.objects.current().filter(user_id=OuterRef("user_id"))))
    )
    members = _by_position(members)
    roles = roles_of(request.user)
    choices = None
    if roles.is_supervisor or roles.is_admin or len(roles.secretary_of) > 1:
        choices = [
            (choice.code, "\u3000" * (choice.depth - 1) + choice.name)
            for choice in Organization.objects.member_managed_by(request.user).active().only("code", "name", "depth")
        ]
    return render(
        request,
        "orgs/member_list.html",
        {
            "org": org,
            "members": members,
            "pending_passwords": sum(1 for m in members if m.has_initial_password),
            "moved_out": Member.objects.filter(organization=org, is_active=False).count(),
            "org_choices": choices,
        },
    )


@login_required
def member_add(request):
    org = _managed_org(request)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member, _password = services.member_create(organization=org, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s was added with the login %(username)s. Print the initial password sheet and hand it over.")
                % {"name": member.name, "username": member.user.username},
            )
            return redirect(_with_org("orgs:password_sheet", org))
    return render(request, "orgs/member_form.html", {"org": org, "form": form, "member": None})


@login_required
def member_edit(request, pk):
    member = _manageable_member(request, pk)
    form = MemberForm(request.POST or None, initial=MemberForm.initial_for(member), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s's details were saved.") % {"name": member.name})
            return redirect(_with_org("orgs:member_list", member.organization))
    return render(request, "orgs/member_form.html", {"org": member.organization, "form": form, "member": member})


@login_required
def member_move_out(request, pk):
    member = _manageable_member(request, pk)
    targets = Organization.objects.member_managed_by(request.user).active().exclude(pk=member.organization_id)
    form = MoveOutForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data.get("to") if form.cleaned_data["action"] == MoveOutForm.TRANSFER else None
        old_org = member.organization
        try:
            services.member_move_out(member=member, by=request.user, to=to)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if to is None:
                text = _("%(name)s has moved out of %(org)s; their login is closed.")
            else:
                text = _("%(name)s has been transferred from %(org)s to %(to)s.")
            messages.success(request, text % {"name": member.name, "org": old_org.name, "to": to})
            return redirect(_with_org("orgs:member_list", old_org))
    return render(request, "orgs/member_move_out.html", {"member": member, "org": member.organization, "form": form})


@login_required
@require_POST
def member_reset_password(request, pk):
    member = _manageable_member(request, pk)
    try:
        services.member_reset_password(member=member, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_with_org("orgs:member_list", member.organization))
    messages.success(
        request,
        _("%(name)s has a new one-time password; they must change it when they log in. It is on the sheet below.")
        % {"name": member.name},
    )
    return redirect(_with_org("orgs:password_sheet", member.organization))


def _sheet_scope(request):
    """(organization, roster import) a password sheet is about; one of them is None."""
    import_pk = request.GET.get("import") or request.POST.get("import")
    if import_pk:
        if not can_import_roster(request.user) or not str(import_pk).isdigit():
            raise Http404
        return None, get_object_or_404(RosterImport, pk=import_pk)
    return _managed_org(request), None


@login_required
def password_sheet(request):
    """The printable sheet (A4) of one-time passwords still waiting to be handed over."""
    org, roster_import = _sheet_scope(request)
    pending = (
        InitialPassword.objects.manageable_by(request.user)
        .current()
        .select_related("user__member__organization")
        .order_by("user__member__organization__path", "user__member__name", "user__username")
    )
    pending = (
        pending.filter(roster_import=roster_import) if roster_import else pending.filter(user__member__organization=org)
    )
    slips = []
    for entry in pending:
        member = getattr(entry.user, "member", None)
        slips.append(
            {
                "name": member.name if member else entry.user.display_name,
                "organization": member.organization.name if member else "",
                "username": entry.user.username,
                "password": initial_passwords.decrypt(entry.secret),
                "issued_at": entry.issued_at,
            }
        )
    return render(
        request,
        "orgs/password_sheet.html",
        {
            "org": org,
            "roster_import": roster_import,
            "slips": slips,
            "login_url": settings.SITE_URL.rstrip("/") + reverse("login"),
            "today": timezone.localdate(),
            "days": initial_passwords.INITIAL_PASSWORD_DAYS,
        },
    )


@login_required
@require_POST
def password_sheet_clear(request):
    org, roster_import = _sheet_scope(request)
    count = services.initial_passwords_clear(by=request.user, organization=org, roster_import=roster_import)
    messages.success(request, _("%(count)d initial password(s) were cleared from the system.") % {"count": count})
    if roster_import is not None:
        return redirect(roster_import)
    return redirect(_with_org("orgs:member_list", org))


# ---------------------------------------------------------------------------
# Roster import (administrators)
# ---------------------------------------------------------------------------
def _require_importer(request):
    if not can_import_roster(request.user):
        raise PermissionDenied


@login_required
def roster_import(request):
    _require_importer(request)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    checked = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        checked = roster.check_file(form.cleaned_data["kind"], upload)
        if checked.ok:
            started = services.roster_import_start(
                kind=form.cleaned_data["kind"], file_name=upload.name, rows=checked.rows, by=request.user
            )
            messages.success(
                request, _("All %(count)d rows are correct; the import is running.") % {"count": len(checked.rows)}
            )
            return redirect(started)
        messages.error(
            request,
            _("Nothing was imported: %(count)d problem(s) found. Fix them and upload the file again.")
            % {"count": len(checked.problems)},
        )
    recent = RosterImport.objects.select_related("uploaded_by")[:10]
    return render(request, "orgs/roster_import.html", {"form": form, "checked": checked, "recent": recent})


@login_required
def roster_import_template(request, kind):
    _require_importer(request)
    if kind not in RosterImport.Kind.values:
        raise Http404
    response = HttpResponse(
        roster.template_workbook(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = "组织名册模板.xlsx" if kind == RosterImport.Kind.ORGANIZATIONS else "党员名册模板.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
def roster_import_detail(request, pk):
    _require_importer(request)
    roster_import = get_object_or_404(RosterImport.objects.select_related("uploaded_by"), pk=pk)
    return render(request, "orgs/rosterimport_detail.html", {"roster_import": roster_import})


@login_required
def roster_import_progress(request, pk):
    _require_importer(request)
    roster_import = get_object_or_404(RosterImport, pk=pk)
    return render(request, "orgs/partials/import_progress.html", {"roster_import": roster_import})
