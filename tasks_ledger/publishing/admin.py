"""Publishing records in the admin: to read, never to write. A proposal, its review and a
withdrawal are the record of who decided what; they change only through the services."""

from django.contrib import admin

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
    list_display = ["plan", "published_by", "published_at"]


@admin.register(PublicationProposal)
class PublicationProposalAdmin(ReadOnlyAdmin):
    list_display = ["task", "state", "proposed_by", "proposed_at"]
    list_filter = ["state"]
    list_select_related = [*code_related("task"), "proposed_by"]


@admin.register(ConfidentialityReview)
class ConfidentialityReviewAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "decision", "reviewer", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["proposal__task__section", "proposal__task__parent__section", "reviewer"]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "withdrawn_by", "withdrawn_at", "reason"]
    list_select_related = [
        "proposal__task__section",
        "proposal__task__parent__section",
        "withdrawn_by",
    ]
