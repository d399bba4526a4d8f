"""The event-details call-back, against a tiny HTTP server on loopback that verifies the v3 signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.simulator.conftest import V3, Api, assert_error, unique
from tests.simulator.openapi_check import http

DECODE = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}


def v3_signature(secret: str, method: str, uri: str, body: str, timestamp: str) -> str:
    """HubSpot's documented v3 procedure, written here independently of the simulator."""
    for encoded, plain in DECODE.items():
        uri = uri.replace(encoded, plain).replace(encoded.lower(), plain)
    digest = hmac.new(secret.encode(), f"{method}{uri}{body}{timestamp}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_the_verifier_matches_the_references_test_vector():
    signature = v3_signature(
        "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy",
        "POST",
        "https://www.example.com/webhook_uri",
        '{"example_field":"example_value"}',
        "1700000000000",
    )
    assert signature == "rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o="


class EventDetails:
    """A loopback HTTP server standing in for the app's event-details endpoint."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.calls: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                port = self.server.server_address[1]
                uri = f"http://127.0.0.1:{port}{self.path}"
                timestamp = self.headers.get("X-HubSpot-Request-Timestamp", "0")
                expected = v3_signature(outer.secret, "GET", uri, "", timestamp)
                valid = hmac.compare_digest(expected, self.headers.get("X-HubSpot-Signature-v3", ""))
                fresh = abs(time.time() * 1000 - int(timestamp)) < 300_000
                parts = urlsplit(self.path)
                outer.calls.append(
                    {"path": parts.path, "query": parse_qs(parts.query), "valid": valid and fresh}
                )
                if not (valid and fresh):
                    self.send_response(401)
                    self.end_headers()
                    return
                body = json.dumps(
                    {
                        "eventName": "From the app",
                        "eventOrganizer": "App Inc",
                        "eventType": "WEBINAR",
                        "startDateTime": "2031-05-01T09:00:00Z",
                        "endDateTime": "2031-05-01T10:00:00Z",
                    }
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> EventDetails:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def partner(sim):
    """The second app, whose settings these tests change; everything is reset afterwards."""
    yield Api(sim, sim.hub_id, sim.other_app_id)
    sim.control.reset()


def set_url(sim, url: str) -> None:
    app = sim.other_app
    response = http.post(
        f"{sim.base_url}{V3}/{app['app_id']}/settings",
        params={"hapikey": app["developer_api_key"]},
        json={"eventDetailsUrl": url},
    )
    assert response.status_code == 200


def test_attendance_for_an_unknown_event_fetches_it_from_the_app_signed_then_records(sim, partner):
    with EventDetails(sim.other_app["client_secret"]) as details:
        set_url(sim, f"http://127.0.0.1:{details.port}/events/%s/details")
        external_id = unique("cb")
        response = partner.post(
            f"{V3}/attendance/{external_id}/register/email-create",
            params={"externalAccountId": "acct-9"},
            json={
                "inputs": [
                    {
                        "email": "alice@example.com",
                        "interactionDateTime": 7,
                        "properties": {},
                        "contactProperties": {},
                    }
                ]
            },
        )
        assert response.status_code == 200, response.text
    assert details.calls == [
        {
            "path": f"/events/{external_id}/details",
            "valid": True,
            "query": {"appId": [str(sim.other_app_id)], "externalAccountId": ["acct-9"]},
        }
    ]
    event = partner.get(f"{V3}/events/{external_id}", params={"externalAccountId": "acct-9"}).json()
    assert event["eventName"] == "From the app"
    assert event["startDateTime"] == "2031-05-01T09:00:00.000Z"
    assert event["registrants"] == 1


def test_a_refused_call_back_leaves_the_event_unknown(sim, partner):
    with EventDetails("not-the-secret") as details:
        set_url(sim, f"http://127.0.0.1:{details.port}/events/%s")
        response = partner.post(
            f"{V3}/attendance/{unique('cb')}/register/create",
            params={"externalAccountId": "acct-9"},
            json={"inputs": []},
        )
        assert_error(response, 404)
    assert details.calls[0]["valid"] is False


def test_without_an_account_id_there_is_no_call_back(sim, partner):
    with EventDetails(sim.other_app["client_secret"]) as details:
        set_url(sim, f"http://127.0.0.1:{details.port}/events/%s")
        response = partner.post(f"{V3}/attendance/{unique('cb')}/register/create", json={"inputs": []})
        assert_error(response, 404)
    assert details.calls == []
