from django.urls import path

from hsadmin.participation import views

app_name = "participation"

EVENT = "p/<int:hub_id>/events/<str:object_id>/participation"

urlpatterns = [
    path("contacts/", views.contacts_home, name="contacts"),
    path("p/<int:hub_id>/contacts/", views.contact_history, name="contact-history"),
    # "breakdown/" dates from a catch-all `<str:action>/` events pattern (now gone); kept so links keep working.
    path(f"{EVENT}/breakdown/", views.event_participation, name="event"),
    path(f"{EVENT}/record/", views.record, name="record"),
    path(f"{EVENT}/recount/", views.recount, name="recount"),
    path(f"{EVENT}/export/", views.export, name="export"),
    path(f"{EVENT}/import/", views.import_new, name="import-new"),
    path(f"{EVENT}/import/<int:import_id>/", views.import_detail, name="import"),
    path(f"{EVENT}/import/<int:import_id>/confirm/", views.import_confirm, name="import-confirm"),
]
