"""Writes to departments: remembering another name for a department."""

from django.db import transaction
from django.utils.translation import gettext as _

from departments.models import Department, DepartmentAlias


class DepartmentAliasError(ValueError):
    pass


@transaction.atomic
def department_alias_set(*, name: str, department: Department, by=None) -> DepartmentAlias:
    """Read `name` as `department` in this and later imports. Choosing again for the same
    name replaces the earlier choice; a department's own name cannot become an alias."""
    name = name.strip()
    if not name:
        raise DepartmentAliasError(_("A name is required."))
    if Department.objects.filter(name=name).exclude(pk=department.pk).exists():
        raise DepartmentAliasError(
            _("%(name)s is the name of another department.") % {"name": name}
        )
    alias, _created = DepartmentAlias.objects.update_or_create(
        name=name, defaults={"department": department, "created_by": by}
    )
    return alias
