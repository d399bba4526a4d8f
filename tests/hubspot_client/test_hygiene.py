"""The package's hygiene: no Django, one shared httpx.Client per base URL, no redirects, quiet and redacted logs."""

from __future__ import annotations

import logging
import subprocess
import sys

import httpx

from hsadmin.hubspot_client import (
    HubSpotClient,
    RedactingFilter,
    redact_text,
    redact_url,
    shared_http_client,
)
from hsadmin.hubspot_client.client import close_shared_clients

from .fakes import FakeHubSpot, reply


def test_the_package_imports_without_django() -> None:
    code = (
        "import sys, hsadmin.hubspot_client; "
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 (our own interpreter and code)


def test_clients_share_one_long_lived_httpx_client_per_base_url() -> None:
    try:
        one = HubSpotClient(base_url="http://shared.test", portal_key="portal:1")
        two = HubSpotClient(base_url="http://shared.test/", portal_key="portal:2")
        other = HubSpotClient(base_url="http://other.test")
        assert one.http is two.http is shared_http_client("http://shared.test")
        assert other.http is not one.http
        assert one.http.follow_redirects is False
        timeout = one.http.timeout
        assert None not in (timeout.connect, timeout.read, timeout.write, timeout.pool)
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
        one.close()  # closing a client never closes the shared pool
        assert not two.http.is_closed
    finally:
        close_shared_clients()


def test_redaction_masks_tokens_in_urls_bodies_and_headers() -> None:
    assert (
        redact_url("https://api.test/x?hapikey=abc123&limit=10")
        == "https://api.test/x?hapikey=[redacted]&limit=10"
    )
    assert redact_url("https://api.test/oauth/v1/access-tokens/CJT-secret") == (
        "https://api.test/oauth/v1/access-tokens/[redacted]"
    )
    form = "grant_type=refresh_token&refresh_token=rt-secret&client_secret=cs-secret&client_id=cid"
    assert redact_text(form) == (
        "grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]&client_id=cid"
    )
    assert redact_text('{"access_token": "at-secret", "expires_in": 1800}') == (
        '{"access_token": "[redacted]", "expires_in": 1800}'
    )
    assert redact_text("Authorization: Bearer pat-na1-secret") == "Authorization: Bearer [redacted]"


def test_debug_logs_of_requests_never_show_the_developer_key(fake: FakeHubSpot, make_client, caplog) -> None:
    fake.then(reply(200, {"appId": 1, "eventDetailsUrl": "https://x/%s"}))
    with caplog.at_level(logging.DEBUG, logger="hsadmin.hubspot_client"):
        make_client(developer_api_key="dev-secret", app_id=1).get_event_settings()
    assert caplog.records
    assert "dev-secret" not in caplog.text


def test_the_redacting_filter_cleans_any_log_record() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "calling %s", ("https://a.test/?hapikey=k1",), None
    )
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "calling https://a.test/?hapikey=[redacted]"


def test_requests_carry_a_user_agent_and_no_redirect_following(fake: FakeHubSpot, make_client) -> None:
    client = make_client()
    client.get_event("1")
    assert fake.last.headers["user-agent"].startswith("hsadmin-hubspot-client/")
    assert isinstance(client.http, httpx.Client) and client.http.follow_redirects is False


def test_an_unknown_api_version_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="version"):
        HubSpotClient(api_version="v4", transport=httpx.MockTransport(lambda r: reply()))


def test_no_code_of_the_app_imports_hubspots_sdk_which_only_the_contract_tests_oracle_reads() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "hsadmin"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path}: {n}" for n in names if n == "hubspot" or n.startswith("hubspot.")]
    assert not offenders, offenders
