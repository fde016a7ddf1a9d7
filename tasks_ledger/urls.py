from django.urls import path

from tasks_ledger.plan import views as plan_views

urlpatterns = [
    path("", plan_views.plan_overview, name="plan-overview"),
]
