"""State moves on one pledge. Each: scoped fetch, permission check, (reason form), one service call, message,
redirect. Someone who may see the pledge but not make the move gets 403; someone who may not see it, 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import permissions
from ..forms.lifecycle import ReasonForm
from ..models import Pledge
from ..services import lifecycle


def _fetch(request, pk) -> Pledge:
    return get_object_or_404(Pledge.objects.visible_to(request.user).with_owner(), pk=pk)


def _back(request, pledge: Pledge):
    """Back to where the person came from (a queue) when that is on this site, else the pledge page."""
    next_url = request.POST.get("next") or request.GET.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(pledge)


def submitted_message(user, pledge: Pledge) -> str:
    """ "已提交，等待 张三 审核" — or, when the submitter approves it too, say so."""
    if permissions.can_approve(user, pledge):
        return _("Submitted. You are its approver: approve it or return it below.")
    names = "、".join(u.display_name for u in permissions.approvers_of(pledge).exclude(pk=user.pk)[:3])
    return _("Submitted; waiting for %(names)s to approve.") % {"names": names or _("the approver")}


def _refused(request, pledge: Pledge, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return redirect(pledge)


@login_required
@require_POST
def pledge_submit(request, pk):
    pledge = _fetch(request, pk)
    if not permissions.can_submit(request.user, pledge):
        raise PermissionDenied
    try:
        pledge = lifecycle.pledge_submit(pledge=pledge, by=request.user)
    except ValidationError as error:
        messages.error(request, _("Not submitted: %(problems)s") % {"problems": " ".join(error.messages)})
        if permissions.can_edit(request.user, pledge):
            return redirect("pledges:edit", pk=pledge.pk)
        return redirect(pledge)
    messages.success(request, submitted_message(request.user, pledge))
    return _back(request, pledge)


@login_required
@require_POST
def pledge_approve(request, pk):
    pledge = _fetch(request, pk)
    if not permissions.can_approve(request.user, pledge):
        raise PermissionDenied
    try:
        pledge = lifecycle.pledge_approve(pledge=pledge, by=request.user)
    except ValidationError as error:
        return _refused(request, pledge, error)
    messages.success(request, _("Approved: “%(title)s” is now on the public board.") % {"title": pledge.title})
    return _back(request, pledge)


@login_required
@require_POST
def pledge_verify(request, pk):
    pledge = _fetch(request, pk)
    if not permissions.can_verify(request.user, pledge):
        raise PermissionDenied
    try:
        pledge = lifecycle.pledge_verify(pledge=pledge, by=request.user)
    except ValidationError as error:
        return _refused(request, pledge, error)
    messages.success(request, _("Verified: “%(title)s” is fulfilled.") % {"title": pledge.title})
    return _back(request, pledge)


@dataclass(frozen=True)
class ReasonMove:
    """A move that needs one text from the person making it."""

    check: Callable
    service: Callable
    argument: str
    heading: str
    label: str
    placeholder: str
    button: str
    done: str
    danger: bool = False


REASON_MOVES = {
    "return": ReasonMove(
        check=permissions.can_return,
        service=lifecycle.pledge_return,
        argument="reason",
        heading=gettext_lazy("Return for changes"),
        label=gettext_lazy("What has to change"),
        placeholder=gettext_lazy("e.g. 预期目标请写明走访户数"),
        button=gettext_lazy("Return"),
        done=gettext_lazy("Returned “%(title)s” with your reason; the owner has been told."),
    ),
    "claim": ReasonMove(
        check=permissions.can_claim_completion,
        service=lifecycle.pledge_claim_completion,
        argument="closing_statement",
        heading=gettext_lazy("Report the pledge complete"),
        label=gettext_lazy("Closing statement"),
        placeholder=gettext_lazy("e.g. 已完成 3 户困难党员走访，解决实际问题 5 个"),
        button=gettext_lazy("Report complete"),
        done=gettext_lazy("Reported complete; waiting for verification of “%(title)s”."),
    ),
    "reject_completion": ReasonMove(
        check=permissions.can_reject_completion,
        service=lifecycle.pledge_reject_completion,
        argument="reason",
        heading=gettext_lazy("Do not accept the completion"),
        label=gettext_lazy("What is still missing"),
        placeholder=gettext_lazy("e.g. 缺少走访记录照片"),
        button=gettext_lazy("Send back"),
        done=gettext_lazy("“%(title)s” is back in progress; the owner has been told what is missing."),
    ),
    "withdraw": ReasonMove(
        check=permissions.can_withdraw,
        service=lifecycle.pledge_withdraw,
        argument="reason",
        heading=gettext_lazy("Withdraw the pledge"),
        label=gettext_lazy("Why it is withdrawn"),
        placeholder=gettext_lazy("e.g. 项目已由县里统一实施"),
        button=gettext_lazy("Withdraw"),
        done=gettext_lazy("“%(title)s” is withdrawn and no longer public."),
        danger=True,
    ),
    "explain": ReasonMove(
        check=permissions.can_explain,
        service=lifecycle.pledge_explain,
        argument="explanation",
        heading=gettext_lazy("Explain why the pledge was not kept"),
        label=gettext_lazy("Explanation"),
        placeholder=gettext_lazy("e.g. 因资金未到位推迟，计划下季度完成"),
        button=gettext_lazy("Save the explanation"),
        done=gettext_lazy("The explanation for “%(title)s” is recorded."),
    ),
}


def _reason_move(request, pk, name: str):
    move = REASON_MOVES[name]
    pledge = _fetch(request, pk)
    if not move.check(request.user, pledge):
        raise PermissionDenied
    form = ReasonForm(request.POST or None, label=move.label, placeholder=move.placeholder)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = move.service(pledge=pledge, by=request.user, **{move.argument: form.cleaned_data["reason"]})
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, str(move.done) % {"title": pledge.title})
            return _back(request, pledge)
    return render(
        request,
        "pledges/pledge_action.html",
        {"pledge": pledge, "form": form, "move": move, "name": name, "next": request.GET.get("next", "")},
    )


@login_required
def pledge_return(request, pk):
    return _reason_move(request, pk, "return")


@login_required
def pledge_claim(request, pk):
    return _reason_move(request, pk, "claim")


@login_required
def pledge_reject_completion(request, pk):
    return _reason_move(request, pk, "reject_completion")


@login_required
def pledge_withdraw(request, pk):
    return _reason_move(request, pk, "withdraw")


@login_required
def pledge_explain(request, pk):
    return _reason_move(request, pk, "explain")
