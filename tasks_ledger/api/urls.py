"""The API's URLs under /api/. Each concern the API serves has one module here (auth, plan,
ledger, findings, clocks) holding its serializers, filters and views; register a new
resource with one `router.register` line."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from tasks_ledger.api import auth, clocks, findings, ledger, plan
from tasks_ledger.api.exceptions import NotFoundView

router = DefaultRouter()
router.register("departments", plan.DepartmentViewSet, basename="department")
router.register("plans", plan.PlanViewSet, basename="plan")
router.register("tasks", plan.TaskViewSet, basename="task")
router.register("ledger-entries", ledger.LedgerEntryViewSet, basename="ledger-entry")
router.register("findings", findings.FindingViewSet, basename="finding")
router.register("events", clocks.EventViewSet, basename="event")
router.register("obligations", clocks.ObligationViewSet, basename="obligation")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP forbids inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
    # Last: what no route above matched (a mistyped path, an id with a dot in it).
    re_path(r"", NotFoundView.as_view()),
]
