from django.urls import include, path

from tasks_ledger.plan import views as plan_views
from tasks_ledger.plan import views_clone

urlpatterns = [
    path("", plan_views.plan_overview, name="plan-overview"),
    path("plans/copy/", views_clone.plan_clone_page, name="plan-clone"),
    path("plans/", include("tasks_ledger.plan.urls")),
    path("inbox/", include("tasks_ledger.reminders.urls")),
    path("reviews/", include("tasks_ledger.reviews.urls")),
    path("clocks/", include("tasks_ledger.clocks.urls")),
    path("dashboard/", include("tasks_ledger.dashboard.urls")),
    path("ledger/", include("tasks_ledger.ledger.urls")),
    path("publishing/", include("tasks_ledger.publishing.urls")),
]
