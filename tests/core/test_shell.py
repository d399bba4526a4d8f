"""The page shell: toasts (also after HTMX requests), CSP, HTMX sign-in and CSRF handling, preferences."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

import pytest
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from hsadmin.core.models import User
from hsadmin.urls import urlpatterns as real_urlpatterns

pytestmark = pytest.mark.django_db


def _say_hello(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Saved <3 things")
    return HttpResponse("<p>fragment</p>")


urlpatterns = [*real_urlpatterns, path("test-toast/", _say_hello)]


@pytest.mark.urls("tests.core.test_shell")
def test_messages_after_an_htmx_request_travel_as_a_toast_event(
    signed_in: Callable[[User], Client], marketing_user: User
) -> None:
    response = signed_in(marketing_user).get("/test-toast/", headers={"HX-Request": "true"})
    trigger = json.loads(response["HX-Trigger"])
    assert trigger == {"hsadmin:toasts": {"messages": [{"level": "success", "text": "Saved <3 things"}]}}
    # Consumed: the next full page does not show it again.
    assert "Saved" not in signed_in(marketing_user).get(reverse("home")).text


@pytest.mark.urls("tests.core.test_shell")
def test_messages_on_a_full_page_render_as_escaped_toasts(
    signed_in: Callable[[User], Client], marketing_user: User
) -> None:
    client = signed_in(marketing_user)
    client.get("/test-toast/")
    page = client.get(reverse("home")).text
    assert 'class="toast toast-success"' in page
    assert "Saved &lt;3 things" in page


def test_every_page_carries_a_strict_content_security_policy_with_a_nonce(
    signed_in: Callable[[User], Client], marketing_user: User
) -> None:
    response = signed_in(marketing_user).get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.text
    assert "style=" not in response.text  # no inline styles anywhere in the shell
    assert "<script>" not in response.text  # every script is a file or carries the nonce


def test_csrf_is_sent_once_from_the_body_for_htmx(
    signed_in: Callable[[User], Client], marketing_user: User
) -> None:
    page = signed_in(marketing_user).get(reverse("home")).text
    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", page)
    assert re.search(
        r'<script src="/static/django_htmx/htmx-2\.min\.js" [^>]*nonce="', page
    )  # vendored, no CDN


def test_an_htmx_request_after_the_session_expired_reloads_the_whole_page_at_sign_in(client: Client) -> None:
    response = client.get(
        reverse("core:preferences"),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/me/x?a=1"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login") + "?next=%2Fme%2Fx%3Fa%3D1"


def test_a_form_posted_without_csrf_gets_a_page_that_says_to_reload(marketing_user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(marketing_user)
    response = client.post(reverse("core:preferences"), {"time_zone": "UTC"})
    assert response.status_code == 403
    assert "Reload the page and try again; nothing was changed." in response.text


def test_an_htmx_post_without_csrf_gets_a_toast_not_a_page(marketing_user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(marketing_user)
    response = client.post(reverse("core:preferences"), {}, headers={"HX-Request": "true"})
    assert response.status_code == 403
    toast = json.loads(response["HX-Trigger"])["hsadmin:toasts"]["messages"][0]
    assert toast["level"] == "error" and "Reload the page" in toast["text"]


def test_a_person_picks_a_time_zone_and_language(
    signed_in: Callable[[User], Client], marketing_user: User
) -> None:
    client = signed_in(marketing_user)
    response = client.post(
        reverse("core:preferences"),
        {"first_name": "Mara", "last_name": "", "email": "", "time_zone": "Asia/Tokyo", "language": "de"},
        follow=True,
    )
    assert response.status_code == 200
    marketing_user.refresh_from_db()
    assert (marketing_user.time_zone, marketing_user.language) == ("Asia/Tokyo", "de")
    assert response.wsgi_request.LANGUAGE_CODE == "de"


def test_dates_render_in_the_persons_time_zone(
    signed_in: Callable[[User], Client], marketing_user: User
) -> None:
    from django.template import Context, Template

    marketing_user.time_zone = "Asia/Tokyo"
    marketing_user.save()
    response = signed_in(marketing_user).get(reverse("home"))
    assert str(timezone.get_current_timezone()) != "Asia/Tokyo"  # deactivated after the request
    moment = dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)
    with timezone.override(response.wsgi_request.user.time_zone):
        assert Template("{{ t|time:'H:i' }}").render(Context({"t": moment})) == "09:00"


def test_an_unknown_time_zone_is_refused_with_a_message(
    signed_in: Callable[[User], Client], marketing_user: User
) -> None:
    response = signed_in(marketing_user).post(
        reverse("core:preferences"), {"time_zone": "Mars/Olympus", "language": ""}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.text
    marketing_user.refresh_from_db()
    assert marketing_user.time_zone == ""


def test_a_missing_page_is_a_friendly_404(signed_in: Callable[[User], Client], marketing_user: User) -> None:
    response = signed_in(marketing_user).get("/no-such-page/")
    assert response.status_code == 404
