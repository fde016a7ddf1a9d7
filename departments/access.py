"""Who someone is in the bureau, for permission checks. Views and the API ask here, never
look at memberships themselves, so that the rule lives in one place."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from departments.models import Department, Membership

OFFICE_ROLES = {Membership.Role.REVIEWER, Membership.Role.ADMIN}


def membership_of(user) -> Membership | None:
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user) -> str | None:
    if user.is_authenticated and user.is_superuser:
        return Membership.Role.ADMIN
    membership = membership_of(user)
    return membership.role if membership else None


def department_of(user) -> Department | None:
    """The department whose ledger `user` may write, if any."""
    membership = membership_of(user)
    if membership and membership.role in (Membership.Role.STAFF, Membership.Role.HEAD):
        return membership.department
    return None


def is_office(user) -> bool:
    """The bureau office (reviewers) and administrators read everything."""
    return role_of(user) in OFFICE_ROLES


def is_head(user) -> bool:
    return role_of(user) == Membership.Role.HEAD


def is_reader(user) -> bool:
    """The office, or a department's staff and heads: who reads the ledgers, the reviews,
    the year's summary and the clocks."""
    return is_office(user) or department_of(user) is not None


def may_propose_publication(user) -> bool:
    """The bureau office chooses what the public may see (and publishes the plan)."""
    return is_office(user)


def is_confidentiality_reviewer(user) -> bool:
    """保密审查: only this role passes or refuses a proposed publication (never its own,
    which the publishing service checks against the proposal)."""
    return role_of(user) == Membership.Role.CONFIDENTIALITY


def may_withdraw_publication(user) -> bool:
    """Either side may take a published item down at once: the office that chose it, or the
    reviewer who finds it should not have passed."""
    return is_office(user) or is_confidentiality_reviewer(user)


# The browser's doors. Every view of the site goes through one of these (the API through
# tasks_ledger/api/permissions.py, which asks the same functions): a visitor is sent to sign
# in, an account with no role gets the "no role yet" page (403) whatever it opens, and a role
# that may not open the page gets the refused page (403). Objects a role may not see are
# looked up through querysets scoped to the user, so they answer 404 like missing ones.


def _door(allowed):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if role_of(request.user) is None:
                return render(request, "no_role.html", status=403)
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Any role: the plan, the inbox, search, the clocks' event pages (each scoped to the user).
role_required = _door(lambda user: True)
# The bureau office (reviewers) and administrators.
office_required = _door(is_office)
# The office, or a department's staff and heads: the ledgers, reviews, the year's summary.
reader_required = _door(is_reader)
# A department's own people (staff and heads): their unsent entries.
department_required = _door(lambda user: department_of(user) is not None)
# A department's head (submits many entries at once).
head_required = _door(lambda user: is_head(user) and department_of(user) is not None)
# Who works on publishing: the office and the confidentiality reviewers.
publishing_required = _door(lambda user: is_office(user) or is_confidentiality_reviewer(user))


@dataclass(frozen=True)
class Access:
    """What templates know of the signed-in user's role (the context processor's `access`)."""

    role: str | None
    department: Department | None  # whose ledger the user writes (staff and heads)
    unit: Department | None  # where the account sits, the office's reviewers included
    office: bool
    head: bool
    reader: bool
    admin: bool
    confidentiality: bool
    admin_site: bool  # opens Django's admin (its own rule: an active staff account)


def access_of(user) -> Access:
    role = role_of(user)
    return Access(
        role=role,
        department=department_of(user),
        unit=membership.department if (membership := membership_of(user)) else None,
        office=is_office(user),
        head=is_head(user),
        reader=is_reader(user),
        admin=role == Membership.Role.ADMIN,
        confidentiality=is_confidentiality_reviewer(user),
        admin_site=user.is_active and user.is_staff,
    )


def access(request):
    """Context processor: templates read `access.office`, `access.head`, `access.department`…
    from here and never recompute a role. Lazy, so pages that do not ask cost no query."""
    return {"access": SimpleLazyObject(lambda: access_of(request.user))}
