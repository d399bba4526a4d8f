from django.urls import path

from hsadmin.appsettings import draft_views, views

app_name = "appsettings"

urlpatterns = [
    path("settings/", views.settings_index, name="index"),
    path("settings/test/", views.settings_test, name="test"),
    # Public: HubSpot calls it (authenticated by its v3 signature, not by a sign-in).
    path("hubspot/event-details/<str:external_event_id>", views.event_details, name="event_details"),
    path("p/<int:hub_id>/drafts/new/", draft_views.draft_create, name="draft_create"),
    path("p/<int:hub_id>/drafts/<str:object_id>/edit/", draft_views.draft_edit, name="draft_edit"),
    path("p/<int:hub_id>/drafts/<str:object_id>/publish/", draft_views.draft_publish, name="draft_publish"),
    path("p/<int:hub_id>/drafts/<str:object_id>/delete/", draft_views.draft_delete, name="draft_delete"),
]
