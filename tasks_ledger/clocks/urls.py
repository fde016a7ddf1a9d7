from django.urls import path

from tasks_ledger.clocks import views

app_name = "clocks"

urlpatterns = [
    path("", views.clock_board, name="board"),
    path("tasks/<int:task_id>/record/", views.event_record, name="event-record"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/withdraw/", views.event_withdraw, name="event-withdraw"),
    path("events/recent/", views.recent_events, name="recent-events"),
    path("obligations/<int:pk>/fulfil/", views.obligation_fulfil, name="obligation-fulfil"),
]
