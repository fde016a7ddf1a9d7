"""Who someone is in the bureau, for permission checks. Views and the API ask here, never
look at memberships themselves, so that the rule lives in one place."""

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
