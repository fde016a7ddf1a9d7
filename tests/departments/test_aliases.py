"""Other names for departments: chosen once, read by every later lookup."""

import pytest

from departments.selectors import closest_department_names, department_lookup
from departments.services import DepartmentAliasError, department_alias_set
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_an_alias_is_read_as_its_department_and_can_be_chosen_again():
    policy = DepartmentFactory(name="政策法规处")
    planning = DepartmentFactory(name="计划处")
    department_alias_set(name=" 法规处 ", department=planning)
    department_alias_set(name="法规处", department=policy)
    assert department_lookup()["法规处"] == policy
    assert department_lookup()["计划处"] == planning


def test_another_departments_name_cannot_become_an_alias():
    DepartmentFactory(name="政策法规处")
    planning = DepartmentFactory(name="计划处")
    with pytest.raises(DepartmentAliasError, match="政策法规处"):
        department_alias_set(name="政策法规处", department=planning)
    with pytest.raises(DepartmentAliasError):
        department_alias_set(name="  ", department=planning)


def test_closest_names_put_a_name_inside_the_other_first():
    names = ["办公室", "政策法规处", "计划处", "财务处"]
    assert closest_department_names("市交通运输局政策法规处", names)[0] == "政策法规处"
    assert set(closest_department_names("计划财务处", names)) == {"计划处", "财务处"}
    assert closest_department_names("港航事业发展中心", names) == []
