from django.urls import path

from tasks_ledger.ledger import bulk_views, views, views_preview

app_name = "ledger"

urlpatterns = [
    path("", views.ledger_home, name="home"),
    path("review/", bulk_views.review_queue, name="review-queue"),
    path("review/accept/", bulk_views.bulk_accept, name="bulk-accept"),
    path("unsent/", bulk_views.unsent_list, name="unsent"),
    path("unsent/submit/", bulk_views.bulk_submit, name="bulk-submit"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:task_pk>/new/", views.entry_create, name="entry-create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<int:pk>/submit/", views.entry_submit, name="entry-submit"),
    path("entries/<int:pk>/accept/", views.entry_accept, name="entry-accept"),
    path("entries/<int:pk>/return/", views.entry_return, name="entry-return"),
    path("entries/<int:pk>/history/", views.entry_history, name="entry-history"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence-remove"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/preview/", views_preview.evidence_preview, name="evidence-preview"),
]
