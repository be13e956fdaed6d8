"""Writes on the organization tree's people: members, their logins, one-time passwords, roster imports.

Views, the Django admin, the roster import and Celery tasks all call these, so the rules hold
everywhere: a phone number belongs to one active member, a new login gets a one-time password and
must change it at first login, and a transfer only goes to an organization the actor manages.
"""

from __future__ import annotations

import logging
import secrets
from concurrent.futures import ThreadPoolExecutor

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import initial_passwords
from .models import InitialPassword, Member, Organization, RoleAssignment, RosterImport, User
from .permissions import can_manage_members
from .validators import normalize_phone

log = logging.getLogger(__name__)

USERNAME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# ---------------------------------------------------------------------------
# Logins
# ---------------------------------------------------------------------------
def _generated_username() -> str:
    return "u" + "".join(secrets.choice(USERNAME_ALPHABET) for _ in range(7))


def pick_usernames(phones: list[str]) -> list[str]:
    """One free username per entry: the phone number when no login has it yet, else a generated one.

    A couple of queries whatever the number of entries.
    """
    taken = set(User.objects.filter(username__in=[p for p in phones if p]).values_list("username", flat=True))
    chosen: list[str | None] = []
    used: set[str] = set()
    for phone in phones:
        name = phone if phone and phone not in taken and phone not in used else None
        chosen.append(name)
        if name:
            used.add(name)
    missing = [index for index, name in enumerate(chosen) if name is None]
    while missing:
        candidates: dict[int, str] = {}
        for index in missing:
            name = _generated_username()
            while name in used:
                name = _generated_username()
            used.add(name)
            candidates[index] = name
        clashes = set(User.objects.filter(username__in=candidates.values()).values_list("username", flat=True))
        for index, name in candidates.items():
            if name not in clashes:
                chosen[index] = name
        missing = [index for index in missing if chosen[index] is None]
    return chosen  # type: ignore[return-value]


def _issue_initial_password(*, user: User, password: str, by: User | None, roster_import=None) -> None:
    InitialPassword.objects.filter(user=user).delete()
    InitialPassword.objects.create(
        user=user, secret=initial_passwords.encrypt(password), issued_by=by, roster_import=roster_import
    )


def check_phone_free(phone: str, *, exclude_member: Member | None = None) -> None:
    if not phone:
        return
    others = Member.objects.active().filter(phone=phone).select_related("organization")
    if exclude_member is not None:
        others = others.exclude(pk=exclude_member.pk)
    holder = others.first()
    if holder is not None:
        raise ValidationError(
            {
                "phone": _("%(phone)s already belongs to %(name)s (%(org)s).")
                % {"phone": phone, "name": holder.name, "org": holder.organization.name}
            }
        )


def _clean_phone(phone: str) -> str:
    try:
        return normalize_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc


# ---------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------
@transaction.atomic
def member_create(
    *,
    organization: Organization,
    name: str,
    by: User | None,
    position: str = Member.Position.MEMBER,
    phone: str = "",
    is_party_member: bool = True,
) -> tuple[Member, str]:
    """Add a member with a login; return the member and the one-time initial password."""
    if not organization.is_active:
        raise ValidationError(_("%(org)s is no longer active; members cannot be added.") % {"org": organization})
    phone = _clean_phone(phone)
    check_phone_free(phone)
    password = initial_passwords.generate_password()
    user = User(
        username=pick_usernames([phone])[0],
        full_name=name,
        phone=phone,
        must_change_password=True,
        password=initial_passwords.make_hash(password),
    )
    user.full_clean()
    user.save()
    member = Member(
        user=user,
        name=name,
        organization=organization,
        position=position,
        phone=phone,
        is_party_member=is_party_member,
    )
    member.full_clean()
    member.save()
    _issue_initial_password(user=user, password=password, by=by)
    log.info("member %s added to %s by %s", member.pk, organization.code, by)
    return member, password


@transaction.atomic
def member_update(
    *, member: Member, by: User | None, name: str, position: str, phone: str, is_party_member: bool
) -> Member:
    phone = _clean_phone(phone)
    check_phone_free(phone, exclude_member=member)
    member.name, member.position, member.phone, member.is_party_member = name, position, phone, is_party_member
    member.full_clean()
    member.save(update_fields=["name", "position", "phone", "is_party_member"])
    user = member.user
    user.full_name, user.phone = name, phone
    user.save(update_fields=["full_name", "phone"])
    return member


@transaction.atomic
def member_move_out(*, member: Member, by: User | None, to: Organization | None = None) -> Member:
    """Move a member out of their organization: to `to` (a transfer), or out of the system.

    A member who leaves (no `to`) is deactivated and so is their login, unless it still holds a
    role elsewhere. Either way they stop being secretary of the organization they leave.
    """
    if not member.is_active:
        raise ValidationError(_("%(name)s has already moved out.") % {"name": member.name})
    old_org = member.organization
    RoleAssignment.objects.filter(
        user_id=member.user_id, role=RoleAssignment.Role.SECRETARY, organization=old_org
    ).delete()
    if to is None:
        if by is not None and by.pk == member.user_id:
            raise ValidationError(_("You cannot move yourself out. Ask the organization above you."))
        member.is_active = False
        member.save(update_fields=["is_active"])
        user = member.user
        if not user.is_staff and not user.role_assignments.exists():
            user.is_active = False
            user.save(update_fields=["is_active"])
        InitialPassword.objects.filter(user=user).delete()
        return member
    if to.pk == old_org.pk:
        raise ValidationError({"to": _("Choose an organization other than the current one.")})
    if not to.is_active:
        raise ValidationError({"to": _("%(org)s is no longer active.") % {"org": to}})
    if by is not None and not can_manage_members(by, to):
        raise ValidationError({"to": _("You can only transfer a member to an organization you manage.")})
    member.organization = to
    member.full_clean()
    member.save(update_fields=["organization"])
    return member


@transaction.atomic
def member_reset_password(*, member: Member, by: User | None) -> str:
    """Give the member a new one-time password (they must change it at next login); return it."""
    if not member.is_active:
        raise ValidationError(_("%(name)s has moved out; their login cannot be reset.") % {"name": member.name})
    password = initial_passwords.generate_password()
    user = member.user
    user.password = initial_passwords.make_hash(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _issue_initial_password(user=user, password=password, by=by)
    # A member locked out by wrong guesses can log in with the new password straight away.
    from axes.utils import reset as axes_reset

    axes_reset(username=user.username)
    return password


@transaction.atomic
def initial_passwords_clear(*, by: User, organization: Organization | None = None, roster_import=None) -> int:
    """Forget the initial passwords of a printed sheet (only those `by` may see)."""
    pending = InitialPassword.objects.manageable_by(by)
    if organization is not None:
        pending = pending.filter(user__member__organization=organization)
    if roster_import is not None:
        pending = pending.filter(roster_import=roster_import)
    deleted, _details = pending.delete()
    return deleted


def initial_passwords_purge_expired() -> int:
    deleted, _details = InitialPassword.objects.filter(issued_at__lt=initial_passwords.expiry_cutoff()).delete()
    return deleted


# ---------------------------------------------------------------------------
# Roster import
# ---------------------------------------------------------------------------
@transaction.atomic
def roster_import_start(*, kind: str, file_name: str, rows: list[dict], by: User) -> RosterImport:
    """Record a validated roster and queue the background task that applies it."""
    from .tasks import apply_roster_import_task

    roster_import = RosterImport(kind=kind, file_name=file_name[:200], uploaded_by=by, rows=rows, total=len(rows))
    roster_import.full_clean()
    roster_import.save()
    transaction.on_commit(lambda: _enqueue(apply_roster_import_task, roster_import.pk))
    return roster_import


def _enqueue(task, roster_import_id: int) -> None:
    try:
        task.delay(roster_import_id)
    except Exception:  # noqa: BLE001 - the broker is down: say so on the import's page instead of a 500
        log.exception("could not queue roster import %s", roster_import_id)
        RosterImport.objects.filter(pk=roster_import_id).update(
            status=RosterImport.Status.FAILED,
            finished_at=timezone.now(),
            errors=[
                {"row": None, "message": _("The background worker could not be reached. Upload the file again later.")}
            ],
        )


def _progress(roster_import: RosterImport, done: int) -> None:
    RosterImport.objects.filter(pk=roster_import.pk).update(done=done)


def _hash_passwords(roster_import: RosterImport, count: int) -> list[tuple[str, str]]:
    """(password, hash) pairs. The slow part of a member import: done before the transaction,
    in threads (the hash function releases the GIL), with committed progress so the page can show it."""
    passwords = [initial_passwords.generate_password() for _ in range(count)]
    pairs: list[tuple[str, str]] = []
    step = 25
    with ThreadPoolExecutor(max_workers=4) as pool:
        for start in range(0, count, step):
            chunk = passwords[start : start + step]
            pairs.extend(zip(chunk, pool.map(initial_passwords.make_hash, chunk), strict=True))
            _progress(roster_import, len(pairs))
    return pairs


def roster_import_apply(*, roster_import_id: int) -> RosterImport:
    """Apply a validated roster, all rows or none. Idempotent: a finished import is left alone, and a
    run killed halfway committed nothing (the writes are one transaction), so it can simply run again."""
    from . import roster

    roster_import = RosterImport.objects.get(pk=roster_import_id)
    if roster_import.is_finished:
        return roster_import
    RosterImport.objects.filter(pk=roster_import.pk).update(status=RosterImport.Status.RUNNING, done=0)
    rows = roster_import.rows
    pairs = _hash_passwords(roster_import, len(rows)) if roster_import.kind == RosterImport.Kind.MEMBERS else []
    try:
        with transaction.atomic():
            # The database may have changed since the upload was checked: check again, inside the transaction.
            locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
            if locked.is_finished:
                return locked
            problems = roster.revalidate(roster_import.kind, rows)
            if problems:
                _finish(locked, status=RosterImport.Status.FAILED, errors=[p.as_dict() for p in problems])
                return locked
            if roster_import.kind == RosterImport.Kind.ORGANIZATIONS:
                created = _create_organizations(rows)
            else:
                created = _create_members(rows, pairs, by=roster_import.uploaded_by, roster_import=locked)
            _finish(locked, status=RosterImport.Status.DONE, created=created)
    except Exception as exc:
        log.exception("roster import %s failed", roster_import.pk)
        locked = RosterImport.objects.get(pk=roster_import.pk)
        _finish(locked, status=RosterImport.Status.FAILED, errors=[{"row": None, "message": str(exc)}])
        return locked
    log.info("roster import %s: %s created", roster_import.pk, locked.created)
    return locked


def _finish(roster_import: RosterImport, *, status: str, created: int = 0, errors: list | None = None) -> None:
    roster_import.status = status
    roster_import.created = created
    roster_import.errors = errors or []
    roster_import.done = roster_import.total if status == RosterImport.Status.DONE else roster_import.done
    roster_import.finished_at = timezone.now()
    # The rows (names, phones) are not kept once applied.
    roster_import.rows = [] if status == RosterImport.Status.DONE else roster_import.rows
    roster_import.save(update_fields=["status", "created", "errors", "done", "finished_at", "rows"])


def _create_organizations(rows: list[dict]) -> int:
    """Rows are validated and ordered parents first (roster.order_parents_first)."""
    from . import roster

    by_code = {o.code: o for o in Organization.objects.filter(code__in={r["parent"] for r in rows if r["parent"]})}
    for row in roster.order_parents_first(rows):
        fields = {"code": row["code"], "name": row["name"], "kind": row["kind"], "sector": row["sector"]}
        Organization(**fields).full_clean(exclude=["path", "depth", "numchild", "code"])
        if row["parent"]:
            by_code[row["code"]] = Organization.objects.add_child(by_code[row["parent"]], create_kwargs=fields)
        else:
            by_code[row["code"]] = Organization.objects.add_root(create_kwargs=fields)
    return len(rows)


def _create_members(rows: list[dict], pairs: list[tuple[str, str]], *, by, roster_import) -> int:
    orgs = {o.code: o for o in Organization.objects.filter(code__in={r["organization"] for r in rows})}
    usernames = pick_usernames([r["phone"] for r in rows])
    users = [
        User(
            username=username,
            full_name=row["name"],
            phone=row["phone"],
            password=password_hash,
            must_change_password=True,
        )
        for row, username, (_password, password_hash) in zip(rows, usernames, pairs, strict=True)
    ]
    User.objects.bulk_create(users, batch_size=500)
    user_ids = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    members = [
        Member(
            user_id=user_ids[username],
            name=row["name"],
            organization=orgs[row["organization"]],
            position=row["position"],
            phone=row["phone"],
        )
        for row, username in zip(rows, usernames, strict=True)
    ]
    Member.objects.bulk_create(members, batch_size=500)
    InitialPassword.objects.bulk_create(
        [
            InitialPassword(
                user_id=user_ids[username],
                secret=initial_passwords.encrypt(password),
                issued_by=by,
                roster_import=roster_import,
            )
            for username, (password, _hash) in zip(usernames, pairs, strict=True)
        ],
        batch_size=500,
    )
    # A roster's 书记 becomes the secretary of the organization (the administrator uploaded it).
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user_id=user_ids[username], role=RoleAssignment.Role.SECRETARY, organization=orgs[row["organization"]]
            )
            for row, username in zip(rows, usernames, strict=True)
            if row["position"] == Member.Position.SECRETARY
        ],
        ignore_conflicts=True,
    )
    return len(members)
