"""Writes to departments: remembering another name for a department; a person's own name
and phone."""

from django.db import transaction
from django.utils.translation import gettext as _

from departments.models import Department, DepartmentAlias, Membership


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


def person_details_set(*, membership: Membership, name: str, phone: str) -> Membership:
    """A person sets their own name and phone (checked by the model's validators, so a
    bad phone is refused here too, naming the field, whoever calls)."""
    membership.name = name.strip()
    membership.phone = phone.strip()
    membership.full_clean(validate_unique=False, validate_constraints=False)
    membership.save(update_fields=["name", "phone"])
    return membership
