from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hsadmin.core import views as core_views
from hsadmin.core.forms import SignInForm

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", core_views.healthz, name="healthz"),
    path("me/", include("hsadmin.core.urls")),
    path("jobs/", include("hsadmin.jobs.urls")),
    path("portals/", include("hsadmin.portals.urls")),
    path("", include("hsadmin.lists.urls")),
    path("", include("hsadmin.appsettings.urls")),
    path("", include("hsadmin.events.urls")),
    path("", include("hsadmin.participation.urls")),
    path("reports/", include("hsadmin.reports.urls")),
    path("activity/", core_views.activity, name="activity"),
    path("admin/", admin.site.urls),
]

handler400 = "hsadmin.core.views.bad_request"
