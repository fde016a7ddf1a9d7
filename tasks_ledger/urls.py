from django.urls import include, path

from tasks_ledger.clone import views as clone_views
from tasks_ledger.excel import views as excel_views
from tasks_ledger.excel import views_import
from tasks_ledger.plan import views as plan_views

urlpatterns = [
    path("", plan_views.plan_overview, name="plan-overview"),
    path("plans/copy/", clone_views.plan_clone_page, name="plan-clone"),
    path("plans/", include("tasks_ledger.plan.urls")),
    path("inbox/", include("tasks_ledger.reminders.urls")),
    path("reviews/", include("tasks_ledger.reviews.urls")),
    path("clocks/", include("tasks_ledger.clocks.urls")),
    path("dashboard/", include("tasks_ledger.dashboard.urls")),
    # Before the ledger's own URLs: the export is the excel concern's, which reads the
    # ledger (the ledger app does not import upwards).
    path("ledger/export.xlsx", excel_views.ledger_export, name="ledger-export"),
    path("ledger/import/", views_import.ledger_import, name="ledger-import"),
    path("ledger/", include("tasks_ledger.ledger.urls")),
    path("publishing/", include("tasks_ledger.publishing.urls")),
    path("search/", include("tasks_ledger.search.urls")),
]
