from django.urls import path

from hsadmin.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="index"),
    path("export/<str:table>.csv", views.export, name="export"),
    path("no-shows/", views.export_no_shows, name="no_shows"),
]
