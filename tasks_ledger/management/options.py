"""What the management commands' options share."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def by_option(username: str | None):
    """The user `--by` names, to record as the one who acted; None when it is not given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--by: no user named {username!r}")
    return user
