"""How messages are worded, shared by every kind: who signs for the office, full links."""

from django.conf import settings
from django.utils.translation import gettext as _

from departments.models import Department


def office_name(by=None) -> str:
    """How messages sign for the office: its department's name (局办公室), never a
    username. The acting person's own office department first, else the bureau's."""
    membership = getattr(by, "membership", None) if by is not None else None
    department = getattr(membership, "department", None)
    if department is not None and department.kind == Department.Kind.OFFICE:
        return department.name
    office = Department.objects.filter(kind=Department.Kind.OFFICE, active=True).first()
    return office.name if office else _("Bureau office")


def absolute(link: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{link}"
