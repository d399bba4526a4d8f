from django.urls import path

from hsadmin.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
    path("<int:pk>/file/", views.job_file, name="file"),
    path("<int:pk>/failed.csv", views.job_failed_csv, name="failed-csv"),
    path("<int:pk>/left-out.csv", views.job_left_out_csv, name="left-out-csv"),
]
