"""Admin for the plan: plan → sections → tasks → assignments and deadlines, with history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from disclosure.history_admin import HistoryAdmin
from tasks_ledger.plan.models import (
    Assignment,
    Deadline,
    Plan,
    ReviewRound,
    Section,
    Task,
    code_related,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["number", "title", "order"]
    show_change_link = True


class ReviewRoundInline(admin.TabularInline):
    model = ReviewRound
    extra = 0
    fields = ["kind", "text", "date", "date_rule", "status"]


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ["year", "title", "issuer", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "issuer"]
    inlines = [SectionInline, ReviewRoundInline]


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["number", "title", "other_units", "order"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(parent__isnull=True)


@admin.register(Section)
class SectionAdmin(HistoryAdmin):
    list_display = ["__str__", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["title", "body"]
    inlines = [TaskInline]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["department", "role", "order"]


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0
    fields = ["text", "kind", "due", "amount", "unit", "after", "every", "order"]


class SubtaskInline(admin.TabularInline):
    model = Task
    fk_name = "parent"
    extra = 0
    fields = ["number", "title", "order"]
    show_change_link = True
    verbose_name = _("sub-task")
    verbose_name_plural = _("sub-tasks")


@admin.register(Task)
class TaskAdmin(HistoryAdmin):
    list_display = ["code", "title", "lead_departments", "other_units", "plan"]
    list_filter = ["plan", "section", "assignments__department", "assignments__role"]
    search_fields = ["title", "body", "other_units"]
    list_select_related = ["section", "parent__section", "plan"]
    inlines = [AssignmentInline, DeadlineInline, SubtaskInline]
    raw_id_fields = ["parent"]
    history_related = tuple(code_related())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assignments__department")

    @admin.display(description=_("number"))
    def code(self, task):
        return task.code

    @admin.display(description=_("departments"))
    def lead_departments(self, task):
        return "、".join(
            f"{a.department.name}({a.get_role_display()})" for a in task.assignments.all()
        )


@admin.register(Assignment)
class AssignmentAdmin(HistoryAdmin):
    list_display = ["task", "department", "role"]
    list_filter = ["role", "department", "task__plan"]
    search_fields = ["task__title", "department__name"]
    list_select_related = [*code_related("task"), "department"]
    history_related = (*code_related("task"), "department")


@admin.register(Deadline)
class DeadlineAdmin(HistoryAdmin):
    list_display = ["task", "text", "kind", "due", "amount", "unit", "every"]
    list_filter = ["kind", "unit", "task__plan"]
    search_fields = ["text", "after", "task__title"]
    list_select_related = [*code_related("task")]
    history_related = tuple(code_related("task"))
