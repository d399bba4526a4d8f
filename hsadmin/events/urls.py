from django.urls import path

from hsadmin.events import views

app_name = "events"

urlpatterns = [
    path("events/", views.events_home, name="home"),
    path("p/<int:hub_id>/events/", views.event_list, name="list"),
    path("p/<int:hub_id>/events/new/", views.event_create, name="create"),
    path("p/<int:hub_id>/events/bulk/", views.event_bulk, name="bulk"),
    path("p/<int:hub_id>/events/sync/", views.sync_now, name="sync"),
    path("p/<int:hub_id>/events/<str:object_id>/", views.event_detail, name="detail"),
    path("p/<int:hub_id>/events/<str:object_id>/edit/", views.event_edit, name="edit"),
    path("p/<int:hub_id>/events/<str:object_id>/refresh/", views.event_refresh, name="refresh"),
    path("p/<int:hub_id>/events/<str:object_id>/cancel/", views.event_cancel, name="cancel"),
    path("p/<int:hub_id>/events/<str:object_id>/complete/", views.event_complete, name="complete"),
    path("p/<int:hub_id>/events/<str:object_id>/delete/", views.event_delete, name="delete"),
]
