"""Auth: bearer, developer key, and OAuth refresh ahead of expiry / on an expired-token 401, single-flight."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from hsadmin.hubspot_client import (
    BearerAuth,
    ExpiredTokenError,
    OAuthError,
    OAuthTokenAuth,
    TokenSet,
)

from .fakes import FakeHubSpot, error_body, reply

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
EVENT = {"objectId": "1", "eventName": "x"}


class Refresher:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[str] = []
        self.error = error

    def __call__(self, refresh_token: str) -> TokenSet:
        self.calls.append(refresh_token)
        if self.error:
            raise self.error
        return TokenSet(f"at-{len(self.calls) + 1}", None, NOW + timedelta(minutes=30))


def tokens(minutes_left: float, access: str = "at-1") -> TokenSet:
    return TokenSet(access, "rt-1", NOW + timedelta(minutes=minutes_left))


def test_a_bearer_token_goes_in_the_authorization_header(fake: FakeHubSpot, make_client) -> None:
    make_client(auth=BearerAuth("pat-123")).get_event("1")
    assert fake.last.headers["authorization"] == "Bearer pat-123"
    assert "pat-123" not in repr(BearerAuth("pat-123"))


def test_a_fresh_token_is_used_as_is(fake: FakeHubSpot, make_client) -> None:
    refresher = Refresher()
    make_client(auth=OAuthTokenAuth(tokens(20), refresh=refresher, now=lambda: NOW)).get_event("1")
    assert fake.last.headers["authorization"] == "Bearer at-1"
    assert refresher.calls == []


def test_it_refreshes_ahead_of_expiry_and_hands_the_new_tokens_over(fake: FakeHubSpot, make_client) -> None:
    refresher = Refresher()
    stored: list[TokenSet] = []
    auth = OAuthTokenAuth(
        tokens(3),
        refresh=refresher,
        on_refresh=stored.append,
        now=lambda: NOW,
        refresh_margin=timedelta(minutes=5),
    )
    make_client(auth=auth).get_event("1")
    assert refresher.calls == ["rt-1"]
    assert fake.last.headers["authorization"] == "Bearer at-2"
    # HubSpot sent no new refresh token, so the old one is kept
    assert stored == [TokenSet("at-2", "rt-1", NOW + timedelta(minutes=30))]
    assert auth.tokens.access_token == "at-2"


def test_an_expired_token_401_refreshes_once_and_replays(fake: FakeHubSpot, make_client) -> None:
    refresher = Refresher()
    auth = OAuthTokenAuth(tokens(20), refresh=refresher, now=lambda: NOW)
    fake.then(
        reply(401, error_body("EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired")),
        reply(200, EVENT),
    )
    assert make_client(auth=auth).get_event("1").object_id == "1"
    assert [r.headers["authorization"] for r in fake.requests] == ["Bearer at-1", "Bearer at-2"]
    assert refresher.calls == ["rt-1"]


def test_expired_token_401s_that_keep_coming_are_raised_not_looped(fake: FakeHubSpot, make_client) -> None:
    refresher = Refresher()
    auth = OAuthTokenAuth(tokens(20), refresh=refresher, now=lambda: NOW)
    fake.default = reply(401, error_body("EXPIRED_AUTHENTICATION"))
    with pytest.raises(ExpiredTokenError):
        make_client(auth=auth).get_event("1")
    # the auth refreshes and replays once; the request path allows one more round; then it stops
    assert len(fake.requests) == 4 and refresher.calls == ["rt-1", "rt-1"]


def test_a_401_that_is_not_an_expiry_does_not_refresh(fake: FakeHubSpot, make_client) -> None:
    refresher = Refresher()
    fake.then(reply(401, error_body("INVALID_AUTHENTICATION", "Authentication credentials not found.")))
    with pytest.raises(Exception, match="credentials not found"):
        make_client(auth=OAuthTokenAuth(tokens(20), refresh=refresher, now=lambda: NOW)).get_event("1")
    assert refresher.calls == []


def test_under_the_lock_it_takes_tokens_another_process_already_refreshed(
    fake: FakeHubSpot, make_client
) -> None:
    refresher = Refresher()
    events: list[str] = []

    @contextmanager
    def lock():
        events.append("lock")
        yield
        events.append("unlock")

    def reload() -> TokenSet:
        events.append("reload")
        return TokenSet("at-from-db", "rt-1", NOW + timedelta(minutes=29))

    auth = OAuthTokenAuth(tokens(1), refresh=refresher, lock=lock, reload=reload, now=lambda: NOW)
    make_client(auth=auth).get_event("1")
    assert events == ["lock", "reload", "unlock"]
    assert refresher.calls == []
    assert fake.last.headers["authorization"] == "Bearer at-from-db"


def test_concurrent_requests_refresh_only_once(fake: FakeHubSpot, make_client) -> None:
    gate = threading.Event()

    def slow_refresh(refresh_token: str) -> TokenSet:
        gate.wait(1)
        calls.append(refresh_token)
        return TokenSet("at-2", "rt-2", NOW + timedelta(minutes=30))

    calls: list[str] = []
    client = make_client(auth=OAuthTokenAuth(tokens(1), refresh=slow_refresh, now=lambda: NOW))
    threads = [threading.Thread(target=client.get_event, args=("1",)) for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(5)
    assert calls == ["rt-1"]
    assert {r.headers["authorization"] for r in fake.requests} == {"Bearer at-2"}


def test_an_early_refresh_failure_falls_back_to_the_still_valid_token(fake: FakeHubSpot, make_client) -> None:
    refresher = Refresher(error=OAuthError("bad", status=400, category="BAD_REFRESH_TOKEN"))
    make_client(auth=OAuthTokenAuth(tokens(2), refresh=refresher, now=lambda: NOW)).get_event("1")
    assert fake.last.headers["authorization"] == "Bearer at-1"


def test_a_refresh_failure_on_an_expired_token_is_raised(fake: FakeHubSpot, make_client) -> None:
    refresher = Refresher(error=OAuthError("bad", status=400, category="BAD_REFRESH_TOKEN"))
    with pytest.raises(OAuthError):
        make_client(auth=OAuthTokenAuth(tokens(-1), refresh=refresher, now=lambda: NOW)).get_event("1")
    assert fake.requests == []


def test_tokens_never_show_in_reprs() -> None:
    token_set = TokenSet("secret-access", "secret-refresh", NOW)
    auth = OAuthTokenAuth(token_set, refresh=Refresher())
    assert "secret" not in repr(token_set) + repr(auth)


def test_a_replay_that_meets_another_expired_token_401_gets_one_more_round(
    fake: FakeHubSpot, make_client
) -> None:
    refresher = Refresher()
    auth = OAuthTokenAuth(tokens(20), refresh=refresher, now=lambda: NOW)
    expired = reply(401, error_body("EXPIRED_AUTHENTICATION"))
    fake.then(expired, expired, reply(401, error_body("EXPIRED_AUTHENTICATION")), reply(200, EVENT))
    assert make_client(auth=auth).get_event("1").object_id == "1"
    assert refresher.calls == ["rt-1", "rt-1"]
    assert len(fake.requests) == 4


def test_a_static_token_401_is_not_replayed(fake: FakeHubSpot, make_client) -> None:
    fake.default = reply(401, error_body("EXPIRED_AUTHENTICATION"))
    with pytest.raises(ExpiredTokenError):
        make_client(auth=BearerAuth("pat")).get_event("1")
    assert len(fake.requests) == 1
