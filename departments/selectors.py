"""Reads of departments: which department a name in a plan means."""

import difflib

from departments.models import Department, DepartmentAlias


def department_lookup() -> dict[str, Department]:
    """Every name a plan may use for a department: its own name, then its aliases (a
    department's own name wins over another's alias). Two queries."""
    lookup = {d.name: d for d in Department.objects.all()}
    for alias in DepartmentAlias.objects.select_related("department"):
        lookup.setdefault(alias.name, alias.department)
    return lookup


def closest_department_names(name: str, names: list[str], *, limit: int = 3) -> list[str]:
    """The department names most like `name`, best first: a name inside the other
    (政策法规处 in 市交通运输局政策法规处) first, then by likeness of characters."""
    inside = [n for n in names if n in name or name in n]
    alike = difflib.get_close_matches(name, names, n=limit, cutoff=0.4)
    return list(dict.fromkeys(inside + alike))[:limit]
