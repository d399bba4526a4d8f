from django.urls import path

from hsadmin.lists import views

app_name = "lists"

urlpatterns = [
    path("p/<int:hub_id>/events/<str:object_id>/lists/", views.event_lists, name="event"),
    path("p/<int:hub_id>/events/<str:object_id>/lists/add/", views.list_add, name="add"),
    path(
        "p/<int:hub_id>/events/<str:object_id>/lists/<str:list_id>/remove/",
        views.list_remove,
        name="remove",
    ),
    path("p/<int:hub_id>/lists/bulk/", views.bulk_associate, name="bulk"),
]
