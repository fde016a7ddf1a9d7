"""Admin for review rounds and findings, with history."""

from django.contrib import admin

from departments.people import person_column, with_names
from disclosure.history_admin import HistoryAdmin
from tasks_ledger.plan.models import ReviewRound, code_related
from tasks_ledger.reviews.models import (
    Consolidation,
    Finding,
    RoundTaskWeight,
    SelfAssessment,
    SelfAssessmentItem,
)


class RoundTaskWeightInline(admin.TabularInline):
    model = RoundTaskWeight
    extra = 0
    raw_id_fields = ["task"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(HistoryAdmin):
    list_display = ["__str__", "plan", "kind", "date", "status", "lead_weight", "partner_weight"]
    inlines = [RoundTaskWeightInline]
    list_filter = ["kind", "status", "plan"]
    search_fields = ["text"]


@admin.register(Finding)
class FindingAdmin(HistoryAdmin):
    list_display = [
        "round",
        "task",
        "department",
        "rating",
        "score",
        person_column(Finding, "reviewer"),
    ]
    list_filter = ["round", "rating", "department"]
    search_fields = ["comment", "task__title"]
    list_select_related = [
        "round",
        *code_related("task"),
        "department",
        with_names("reviewer"),
    ]
    raw_id_fields = ["task"]


class SelfAssessmentItemInline(admin.TabularInline):
    model = SelfAssessmentItem
    extra = 0
    raw_id_fields = ["task"]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(HistoryAdmin):
    """The office corrects a due date or reopens a form here; departments fill them in on
    the site."""

    list_display = ["round", "department", "due_on", "status", "submitted_at", "late"]
    list_filter = ["round", "status", "late"]
    list_select_related = ["round", "department"]
    inlines = [SelfAssessmentItemInline]


@admin.register(Consolidation)
class ConsolidationAdmin(HistoryAdmin):
    list_display = ["round", "task", "department", "state", "updated_at"]
    list_filter = ["round", "state"]
    list_select_related = ["round", *code_related("task"), "department"]
    search_fields = ["text", "task__title"]
    raw_id_fields = ["task", "cited"]
