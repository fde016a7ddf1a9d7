"""The administrator's screens for every model; history is visible on each change page."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline, Plan, Section, Task
from tasks_ledger.reviews.models import Finding, ReviewRound


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["number", "title", "order"]
    show_change_link = True


class ReviewRoundInline(admin.TabularInline):
    model = ReviewRound
    extra = 0
    fields = ["kind", "text", "date", "status"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
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
class SectionAdmin(SimpleHistoryAdmin):
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
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "lead_departments", "other_units", "plan"]
    list_filter = ["plan", "section", "assignments__department", "assignments__role"]
    search_fields = ["title", "body", "other_units"]
    list_select_related = ["section", "parent__section", "plan"]
    inlines = [AssignmentInline, DeadlineInline, SubtaskInline]
    raw_id_fields = ["parent"]

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
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["task", "department", "role"]
    list_filter = ["role", "department", "task__plan"]
    search_fields = ["task__title", "department__name"]
    list_select_related = ["task__section", "task__parent__section", "department"]


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["task", "text", "kind", "due", "amount", "unit", "every"]
    list_filter = ["kind", "unit", "task__plan"]
    search_fields = ["text", "after", "task__title"]
    list_select_related = ["task__section", "task__parent__section"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["kind", "url", "doc_number", "file", "filename", "note"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(SimpleHistoryAdmin):
    list_display = ["task", "department", "happened_on", "status", "state", "author", "updated_at"]
    list_filter = ["state", "status", "department", "task__plan"]
    search_fields = ["summary", "problems", "next_steps", "task__title"]
    date_hierarchy = "happened_on"
    list_select_related = ["task__section", "task__parent__section", "department", "author"]
    raw_id_fields = ["task", "author"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "kind", "url", "doc_number", "filename"]
    list_filter = ["kind"]
    search_fields = ["url", "doc_number", "filename", "note"]
    raw_id_fields = ["entry"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "kind", "date", "status"]
    list_filter = ["kind", "status", "plan"]
    search_fields = ["text"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["round", "task", "department", "rating", "score", "reviewer"]
    list_filter = ["round", "rating", "department"]
    search_fields = ["comment", "task__title"]
    list_select_related = [
        "round",
        "task__section",
        "task__parent__section",
        "department",
        "reviewer",
    ]
    raw_id_fields = ["task"]
