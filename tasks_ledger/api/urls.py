"""The API's URLs under /api/. Register a new resource with one `router.register` line."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from tasks_ledger.api import clocks, views

router = DefaultRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("ledger-entries", views.LedgerEntryViewSet, basename="ledger-entry")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("events", clocks.EventViewSet, basename="event")
router.register("obligations", clocks.ObligationViewSet, basename="obligation")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP forbids inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
    # Last: what no route above matched (a mistyped path, an id with a dot in it).
    re_path(r"", views.NotFoundView.as_view()),
]
