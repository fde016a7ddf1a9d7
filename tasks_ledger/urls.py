from django.urls import include, path

from tasks_ledger.plan import views as plan_views

urlpatterns = [
    path("", plan_views.plan_overview, name="plan-overview"),
    path("inbox/", include("tasks_ledger.reminders.urls")),
    path("reviews/", include("tasks_ledger.reviews.urls")),
    path("clocks/", include("tasks_ledger.clocks.urls")),
    path("dashboard/", include("tasks_ledger.dashboard.urls")),
    path("ledger/", include("tasks_ledger.ledger.urls")),
]
