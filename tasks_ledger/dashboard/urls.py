from django.urls import path

from tasks_ledger.dashboard import urging, views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("urge/", urging.urge, name="urge"),
    path("urge/tasks/<int:task_pk>/", urging.task_urges, name="task-urges"),
    path("ledger.xlsx", views.ledger_export, name="ledger-export"),
]
