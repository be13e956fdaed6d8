"""What a signed-in person may do, from their explicit role assignments.

`roles_of(user)` is computed once per user object (so once per request) with two queries and
cached on it; every visibility queryset and permission predicate starts from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Member, Organization

_CACHE_ATTR = "_campaign_roles"


@dataclass(frozen=True)
class Roles:
    is_admin: bool = False
    member: Member | None = None
    secretary_of: tuple[Organization, ...] = ()
    supervisor_of: tuple[Organization, ...] = ()
    titles: dict = field(default_factory=dict)

    @property
    def managed_orgs(self) -> tuple[Organization, ...]:
        return self.supervisor_of + self.secretary_of

    @property
    def managed_paths(self) -> list[str]:
        """Path prefixes of every subtree this person manages (as secretary or supervisor)."""
        return [org.path for org in self.managed_orgs]

    @property
    def is_supervisor(self) -> bool:
        return bool(self.supervisor_of)

    @property
    def is_secretary(self) -> bool:
        return bool(self.secretary_of)

    @property
    def is_member(self) -> bool:
        return self.member is not None

    @property
    def widest(self) -> str:
        """The default home tab: the widest role held."""
        if self.is_admin:
            return "admin"
        if self.is_supervisor:
            return "supervisor"
        if self.is_secretary:
            return "secretary"
        if self.is_member:
            return "member"
        return "none"

    @property
    def tabs(self) -> list[str]:
        held = []
        if self.is_supervisor or self.is_admin:
            held.append("supervisor")
        if self.is_secretary:
            held.append("secretary")
        if self.is_member:
            held.append("member")
        return held

    def manages(self, org: Organization) -> bool:
        """True when `org` lies in a subtree this person manages (or they are an administrator)."""
        return self.is_admin or any(org.path.startswith(path) for path in self.managed_paths)

    def supervises(self, org: Organization) -> bool:
        return self.is_admin or any(org.path.startswith(o.path) for o in self.supervisor_of)

    def is_secretary_of(self, org: Organization) -> bool:
        return any(o.pk == org.pk for o in self.secretary_of)


NO_ROLES = Roles()


def roles_of(user) -> Roles:
    if user is None or not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import Member, RoleAssignment

    member = Member.objects.select_related("organization").filter(user=user, is_active=True).first()
    secretary_of, supervisor_of, titles = [], [], {}
    for assignment in RoleAssignment.objects.filter(user=user, organization__is_active=True).select_related(
        "organization"
    ):
        target = secretary_of if assignment.role == RoleAssignment.Role.SECRETARY else supervisor_of
        target.append(assignment.organization)
        if assignment.title:
            titles[(assignment.role, assignment.organization_id)] = assignment.title
    roles = Roles(
        is_admin=user.is_superuser,
        member=member,
        secretary_of=tuple(secretary_of),
        supervisor_of=tuple(supervisor_of),
        titles=titles,
    )
    setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles, after an assignment changed within the same request or test."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
