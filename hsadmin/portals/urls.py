from django.urls import path

from hsadmin.portals import views

app_name = "portals"

urlpatterns = [
    path("", views.portal_list, name="list"),
    path("connect/", views.connect, name="connect"),
    path("callback/", views.callback, name="callback"),
    path("switch/", views.switch, name="switch"),
    path("people/", views.people, name="people"),
    path("people/<int:membership_id>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("<int:hub_id>/", views.portal_detail, name="detail"),
    path("<int:hub_id>/disconnect/", views.disconnect, name="disconnect"),
]
