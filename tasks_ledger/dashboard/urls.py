from django.urls import path

from tasks_ledger.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("urge/", views.urge, name="urge"),
    path("ledger.xlsx", views.ledger_export, name="ledger-export"),
]
