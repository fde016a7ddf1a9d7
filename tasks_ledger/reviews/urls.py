from django.urls import path

from tasks_ledger.reviews import views, views_consolidation, views_self, views_summary

app_name = "reviews"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("summary/", views_summary.summary_page, name="summary"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/open/", views.round_open, name="open"),
    path("<int:pk>/close/", views.round_close, name="close"),
    path("<int:pk>/findings/<int:assignment_pk>/", views.finding_edit, name="finding"),
    path("<int:pk>/entries/<int:entry_pk>/accept/", views.entry_accept, name="accept"),
    path("<int:pk>/entries/<int:entry_pk>/return/", views.entry_return, name="return"),
    path("<int:pk>/export.xlsx", views.round_export, name="export"),
    path(
        "<int:pk>/tasks/<int:task_pk>/consolidation/",
        views_consolidation.consolidation_page,
        name="consolidation",
    ),
    path(
        "<int:pk>/tasks/<int:task_pk>/ask/<int:department_pk>/",
        views_consolidation.consolidation_ask,
        name="consolidation-ask",
    ),
    path("<int:pk>/self-assessment/", views_self.self_assessment_page, name="self-assessment"),
    path(
        "<int:pk>/self-assessments/open/",
        views_self.self_assessments_hand_out,
        name="self-assessments-open",
    ),
]
