from django.contrib import admin
from django.urls import include, path

from disclosure import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("tasks_ledger.api.urls")),
    path("", include("tasks_ledger.public.urls")),
    path("", include("tasks_ledger.urls")),
]
