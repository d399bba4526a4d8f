"""Sign-in throttling (django-axes) and the session's limits: the idle timeout and an expired session."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hsadmin.core.models import AuditEntry, User
from hsadmin.core.signin_limits import LAST_SEEN
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/me/preferences/?tab=1"}


def _fail(client: Client, username: str = "mara", times: int = 1, ip: str = "10.0.0.1") -> list[int]:
    return [
        client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=ip).status_code
        for _ in range(times)
    ]


def _sign_in(client: Client, username: str = "mara", ip: str = "10.0.0.1") -> object:
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)


def test_five_failed_sign_ins_lock_the_username_out_from_that_address(
    client: Client, marketing_user: User
) -> None:
    assert _fail(client, times=4) == [200] * 4  # the form again, with its message
    locked = client.post(reverse("login"), {"username": "mara", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 403
    assert "Too many failed sign-ins" in locked.text
    assert "Try again in 15 minutes." in locked.text
    assert 'class="brand-mark"' in locked.text  # the product's look, not axes' bare text
    # Even the right password is refused now, and nobody is signed in.
    right = _sign_in(client)
    assert right.status_code == 403 and "_auth_user_id" not in client.session


def test_the_lockout_holds_only_for_that_username_from_that_address(
    client: Client, marketing_user: User, manager_user: User
) -> None:
    _fail(client, times=5)
    assert _sign_in(client, "max").status_code == 302  # another person, same address
    client.logout()
    assert _sign_in(client, "mara", ip="10.0.0.2").status_code == 302  # same person, another address


def test_the_limit_and_the_wait_come_from_settings(settings, client: Client, marketing_user: User) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    assert _fail(client, times=2) == [200, 403]
    assert "Try again in 3 minutes." in _sign_in(client).text


def test_after_the_cool_off_the_person_signs_in_again(client: Client, marketing_user: User) -> None:
    _fail(client, times=5)
    assert _sign_in(client).status_code == 403
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _sign_in(client).status_code == 302
    assert "_auth_user_id" in client.session


def test_failed_sign_ins_and_the_lockout_are_in_the_audit_log(client: Client, marketing_user: User) -> None:
    _fail(client, times=5)
    _sign_in(client)
    failed = AuditEntry.objects.filter(action="auth.sign_in_failed", target="mara")
    assert failed.count() == 6  # five wrong passwords, then the right one refused during the lockout
    assert set(failed.values_list("ip_address", flat=True)) == {"10.0.0.1"}
    locked = AuditEntry.objects.filter(action="auth.locked_out", target="mara")
    assert locked.count() == 2 and locked.first().outcome == "denied"  # type: ignore[union-attr]


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_starts_with_no_failed_sign_ins_left_by_another(
    round_: int, client: Client, marketing_user: User
) -> None:
    assert AccessAttempt.objects.count() == 0
    assert _fail(client, times=4) == [200] * 4
    assert _sign_in(client).status_code == 302


def test_the_test_clients_sign_in_helpers_still_work(client: Client, marketing_user: User) -> None:
    assert client.login(username="mara", password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    client.force_login(marketing_user)
    assert client.get(reverse("home")).status_code == 200


def _age_session(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()
    cache.clear()  # sessions are read through the cache


def test_an_hour_without_a_request_signs_the_person_out(client: Client, marketing_user: User) -> None:
    client.force_login(marketing_user)
    _age_session(client, 61 * 60)
    response = client.get(reverse("core:preferences"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert "signed out after 60 minutes without activity" in page.text
    assert AuditEntry.objects.filter(action="auth.sign_out", target="mara").exists()


def test_an_idle_session_under_htmx_sends_the_whole_page_to_sign_in(
    client: Client, marketing_user: User
) -> None:
    client.force_login(marketing_user)
    _age_session(client, 61 * 60)
    response = client.get(reverse("core:preferences"), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/sign-in/?next=%2Fme%2Fpreferences%2F%3Ftab%3D1"


def test_an_expired_session_under_htmx_sends_the_whole_page_to_sign_in(
    client: Client, marketing_user: User
) -> None:
    client.force_login(marketing_user)
    assert client.get(reverse("core:preferences"), headers=HTMX).status_code == 200
    # SESSION_COOKIE_AGE has passed: the session's row has expired.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()
    response = client.get(reverse("core:preferences"), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/sign-in/?next=%2Fme%2Fpreferences%2F%3Ftab%3D1"


def test_a_person_active_within_the_hour_stays_signed_in_and_the_clock_restarts(
    client: Client, marketing_user: User
) -> None:
    client.force_login(marketing_user)
    _age_session(client, 59 * 60)
    assert client.get(reverse("core:preferences")).status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN] < 5


def test_requests_within_a_minute_do_not_write_the_session(client: Client, marketing_user: User) -> None:
    client.force_login(marketing_user)
    client.get(reverse("home"))
    before = client.session[LAST_SEEN]
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert client.session[LAST_SEEN] == before


def test_an_idle_timeout_of_zero_never_signs_anyone_out(
    settings, client: Client, marketing_user: User
) -> None:
    settings.HSADMIN_IDLE_TIMEOUT_MINUTES = 0
    client.force_login(marketing_user)
    _age_session(client, 48 * 60 * 60)
    assert client.get(reverse("core:preferences")).status_code == 200
