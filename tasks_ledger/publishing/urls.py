from django.urls import path

from tasks_ledger.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan-publish"),
    path("tasks/<int:task_pk>/propose/", views.propose, name="propose"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/review/", views.review, name="review"),
    path("proposals/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
