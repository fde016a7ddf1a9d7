from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from departments import views as department_views
from disclosure import views
from disclosure.ratelimit import password_reset_limited

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico where a page names no icon (a JSON answer, a file).
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    # Before auth's own URLs, so that this name and path resolve to the limited view.
    path(
        "accounts/password_reset/",
        password_reset_limited(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", department_views.account, name="account"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("tasks_ledger.api.urls")),
    path("", include("tasks_ledger.public.urls")),
    path("", include("tasks_ledger.urls")),
]
