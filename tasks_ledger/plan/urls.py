from django.urls import path

from tasks_ledger.plan import import_views as views

app_name = "plans"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_draft, name="draft"),
    path("import/<int:pk>/year/", views.import_draft_year, name="draft-year"),
    path("import/<int:pk>/map/", views.import_draft_map, name="draft-map"),
    path("import/<int:pk>/commit/", views.import_draft_commit, name="draft-commit"),
    path("import/<int:pk>/discard/", views.import_draft_discard, name="draft-discard"),
    path("import/<int:pk>/tasks/<str:path>/", views.import_draft_task, name="draft-task"),
]
