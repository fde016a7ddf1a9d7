"""Publishing records in the admin: to read, never to write. A proposal, its review and a
withdrawal are the record of who decided what; they change only through the services."""

from django.contrib import admin

from departments.people import person_column, with_names
from tasks_ledger.plan.models import code_related
from tasks_ledger.publishing.models import (
    ConfidentialityReview,
    PlanPublication,
    PublicationProposal,
    Withdrawal,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanPublication)
class PlanPublicationAdmin(ReadOnlyAdmin):
    list_display = ["plan", person_column(PlanPublication, "published_by"), "published_at"]
    list_select_related = ["plan", with_names("published_by")]


@admin.register(PublicationProposal)
class PublicationProposalAdmin(ReadOnlyAdmin):
    list_display = [
        "task",
        "state",
        person_column(PublicationProposal, "proposed_by"),
        "proposed_at",
    ]
    list_filter = ["state"]
    list_select_related = [*code_related("task"), with_names("proposed_by")]


@admin.register(ConfidentialityReview)
class ConfidentialityReviewAdmin(ReadOnlyAdmin):
    list_display = [
        "proposal",
        "decision",
        person_column(ConfidentialityReview, "reviewer"),
        "decided_at",
    ]
    list_filter = ["decision"]
    list_select_related = [
        "proposal__task__section",
        "proposal__task__parent__section",
        with_names("reviewer"),
    ]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = [
        "proposal",
        person_column(Withdrawal, "withdrawn_by"),
        "withdrawn_at",
        "reason",
    ]
    list_select_related = [
        "proposal__task__section",
        "proposal__task__parent__section",
        with_names("withdrawn_by"),
    ]
