"""The Excel import's writes keep the ledger's rollups (ledger/rollups.py): a returned entry
changed by the import is a change the dashboard shows, and a new draft makes its pair's
row."""

import pytest
from django.contrib.auth import get_user_model

from tasks_ledger.excel.ledger_import import ledger_import_apply
from tasks_ledger.ledger.models import LedgerEntry, LedgerRollup
from tasks_ledger.ledger.rollups import rollups_check
from tasks_ledger.plan.models import Task
from tests.tasks_ledger.excel.ledger_books import product_layout
from tests.tasks_ledger.excel.test_ledger_import import entry, exported, preview_of

State = LedgerEntry.State


@pytest.fixture
def staff(demo_accounts):
    return get_user_model().objects.get(username="policy-law")


@pytest.fixture
def task(plan_2016):
    """二(一), led by 政策法规处."""
    return Task.objects.get(plan=plan_2016, section__number="二", number="一")


def test_an_import_keeps_the_rollups(staff, plan_2016, task):
    returned = entry(task, state=State.RETURNED, summary="被退回的")
    before = LedgerRollup.objects.get(task=task, department=returned.department).last_change
    rows = [
        exported(returned, 进展情况="按要求补充了材料"),
        {"工作任务": f"{task.code} {task.title}", "进展情况": "新的一条", "工作日期": "2016-07-01"},
    ]
    done = ledger_import_apply(
        preview=preview_of(product_layout("政策法规处", rows), staff, plan_2016), by=staff
    )
    assert done == {"created": 1, "updated": 1}
    changed = LedgerEntry.objects.get(pk=returned.pk)
    rollup = LedgerRollup.objects.get(task=task, department=returned.department)
    assert rollup.last_change == changed.updated_at > before
    assert rollups_check() == []
