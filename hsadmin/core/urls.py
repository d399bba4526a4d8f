from django.urls import path

from hsadmin.core import views

app_name = "core"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
]
