from django.urls import path

from tasks_ledger.public import views

app_name = "public"

urlpatterns = [
    path("public/", views.index, name="index"),
    path("public/<int:year>/", views.year, name="year"),
    path("public/feed.atom", views.feed_atom, name="feed-atom"),
    path("public/feed.json", views.feed_json, name="feed-json"),
    path("public/embed/", views.embed, name="embed"),
    path(
        "public/files/<int:review_pk>/<int:evidence_pk>/",
        views.evidence_file,
        name="evidence-file",
    ),
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
