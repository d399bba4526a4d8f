"""Every HTTP failure maps to one error class under HubSpotError, carrying HubSpot's details."""

from __future__ import annotations

import httpx
import pytest

from hsadmin.hubspot_client import (
    NO_RETRIES,
    AuthenticationError,
    AuthError,
    ExpiredTokenError,
    ForbiddenError,
    HubSpotClient,
    HubSpotError,
    HubSpotTimeoutError,
    LockedError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)

from .fakes import FakeHubSpot, error_body, reply


@pytest.fixture
def once(make_client) -> HubSpotClient:
    return make_client(retry=NO_RETRIES)


@pytest.mark.parametrize(
    ("status", "category", "cls"),
    [
        (400, "VALIDATION_ERROR", ValidationError),
        (409, "CONFLICT", ValidationError),
        (422, "VALIDATION_ERROR", ValidationError),
        (401, "INVALID_AUTHENTICATION", AuthenticationError),
        (401, "EXPIRED_AUTHENTICATION", ExpiredTokenError),
        (403, "MISSING_SCOPES", ForbiddenError),
        (404, "OBJECT_NOT_FOUND", NotFoundError),
        (423, "LOCKED", LockedError),
        (429, "RATE_LIMIT", RateLimitedError),
        (500, "INTERNAL_ERROR", ServerError),
        (503, None, ServerError),
        (405, "METHOD_NOT_ALLOWED", HubSpotError),
    ],
)
def test_each_status_maps_to_its_error_class(
    fake: FakeHubSpot, once: HubSpotClient, status, category, cls
) -> None:
    body = (
        error_body(category, "it failed", context={"ids": ["501"]}) if category else {"message": "it failed"}
    )
    fake.then(reply(status, body))
    with pytest.raises(HubSpotError) as caught:
        once.get_event("501")
    error = caught.value
    assert type(error) is cls
    assert error.status == status
    assert error.category == category
    assert error.message == "it failed"
    assert error.operation == "get_event"
    assert error.method == "GET"
    assert error.url == "https://api.test/marketing/v3/marketing-events/501"
    if category:
        assert error.correlation_id == "aeb5f871-7f07-4993-9211-075dc63e7cbf"
        assert error.context == {"ids": ["501"]}
    assert "get_event" in str(error) and str(status) in str(error)


def test_auth_errors_share_a_parent_so_callers_can_catch_them_together() -> None:
    for cls in (AuthenticationError, ExpiredTokenError, ForbiddenError):
        assert issubclass(cls, AuthError) and issubclass(cls, HubSpotError)
    assert issubclass(LockedError, ServerError)
    assert issubclass(HubSpotTimeoutError, TransportError)


def test_a_missing_scope_error_names_the_scopes(fake: FakeHubSpot, once: HubSpotClient) -> None:
    fake.then(
        reply(
            403,
            error_body(
                "MISSING_SCOPES",
                "This app hasn't been granted all required scopes",
                context={"requiredGranularScopes": ["crm.objects.marketing_events.write"]},
            ),
        )
    )
    with pytest.raises(ForbiddenError) as caught:
        once.delete_event("501")
    assert caught.value.required_scopes == ["crm.objects.marketing_events.write"]


def test_a_429_carries_its_policy_and_retry_after(fake: FakeHubSpot, once: HubSpotClient) -> None:
    fake.then(
        reply(
            429,
            {
                "status": "error",
                "message": "You have reached your ten_secondly_rolling limit.",
                "errorType": "RATE_LIMIT",
                "correlationId": "c-9",
                "policyName": "TEN_SECONDLY_ROLLING",
                "groupName": "publicapi:x",
            },
            headers={"Retry-After": "3"},
        )
    )
    with pytest.raises(RateLimitedError) as caught:
        once.get_event("501")
    assert caught.value.policy_name == "TEN_SECONDLY_ROLLING"
    assert caught.value.retry_after == 3.0
    assert caught.value.category == "RATE_LIMIT"
    assert caught.value.correlation_id == "c-9"


def test_a_non_json_error_body_still_gives_a_typed_error(fake: FakeHubSpot, once: HubSpotClient) -> None:
    fake.then(httpx.Response(502, text="<html>Bad gateway</html>"))
    with pytest.raises(ServerError) as caught:
        once.get_event("501")
    assert caught.value.message == "Bad Gateway"
    assert caught.value.correlation_id is None


@pytest.mark.parametrize(
    ("exc", "cls", "sent"),
    [
        (httpx.ConnectError("refused"), TransportError, False),
        (httpx.ConnectTimeout("slow connect"), HubSpotTimeoutError, False),
        (httpx.PoolTimeout("pool"), HubSpotTimeoutError, False),
        (httpx.ReadTimeout("slow"), HubSpotTimeoutError, True),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), TransportError, True),
        (httpx.ReadError("reset"), TransportError, True),
    ],
)
def test_transport_failures_are_wrapped_and_say_whether_the_request_left(
    fake: FakeHubSpot, once: HubSpotClient, exc, cls, sent
) -> None:
    fake.then(exc)
    with pytest.raises(TransportError) as caught:
        once.get_event("501")
    assert type(caught.value) is cls
    assert caught.value.sent is sent
    assert caught.value.status is None
    assert caught.value.operation == "get_event"
    assert isinstance(caught.value.__cause__, httpx.TransportError)


def test_a_redirect_is_not_followed_but_reported(fake: FakeHubSpot, once: HubSpotClient) -> None:
    fake.then(httpx.Response(302, headers={"Location": "https://evil.test/steal"}))
    with pytest.raises(HubSpotError) as caught:
        once.get_event("501")
    assert caught.value.status == 302
    assert len(fake.requests) == 1


def test_an_error_never_shows_a_developer_key_from_the_url(fake: FakeHubSpot, make_client) -> None:
    client = make_client(developer_api_key="dev-secret-key", app_id=77, retry=NO_RETRIES)
    fake.then(reply(401, error_body("INVALID_AUTHENTICATION", "bad key")))
    with pytest.raises(AuthenticationError) as caught:
        client.get_event_settings()
    assert "dev-secret-key" not in (caught.value.url or "")
    assert "dev-secret-key" not in str(caught.value) + repr(caught.value)
    assert "hapikey=[redacted]" in caught.value.url
