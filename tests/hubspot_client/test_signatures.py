"""Signatures, checked against the reference's vectors."""

from __future__ import annotations

from hsadmin.hubspot_client import sign_v3, signature_v1, signature_v2, verify_signature, verify_v3
from hsadmin.hubspot_client.signatures import decode_uri_for_v3

SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
URI = "https://www.example.com/webhook_uri"
BODY = '{"example_field":"example_value"}'
TS = 1700000000000
V3 = "rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o="
V1_BODY = (
    '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,'
    '"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM",'
    '"changeFlag":"NEW","appId":54321}]'
)


def test_it_signs_v3_like_the_reference_vector() -> None:
    assert sign_v3(SECRET, "POST", URI, BODY, TS) == V3
    assert sign_v3(SECRET, "POST", URI, BODY.encode(), str(TS)) == V3


def test_it_verifies_a_fresh_v3_signature_and_refuses_a_stale_or_altered_one() -> None:
    kwargs = {"method": "POST", "uri": URI, "body": BODY, "timestamp": str(TS)}
    assert verify_v3(SECRET, signature=V3, now_ms=TS + 299_000, **kwargs)
    assert not verify_v3(SECRET, signature=V3, now_ms=TS + 300_001, **kwargs)  # older than 5 minutes
    assert not verify_v3(SECRET, signature=V3, now_ms=TS - 300_001, **kwargs)  # from the future
    assert not verify_v3("another-secret", signature=V3, now_ms=TS, **kwargs)
    assert not verify_v3(SECRET, signature=V3, now_ms=TS, **{**kwargs, "body": BODY + " "})
    assert not verify_v3(SECRET, signature="not base64 é", now_ms=TS, **kwargs)
    assert not verify_v3(SECRET, signature=V3, now_ms=TS, **{**kwargs, "timestamp": "yesterday"})


def test_v3_decodes_only_the_listed_escapes_of_the_uri() -> None:
    assert (
        decode_uri_for_v3("https://x.test/a%3Ab%2Fc?q=%40me%20you%2a") == "https://x.test/a:b/c?q=@me%20you*"
    )
    encoded = "https://x.test/events%2F1?x=%3A"
    assert sign_v3(SECRET, "GET", encoded, "", TS) == sign_v3(
        SECRET, "GET", "https://x.test/events/1?x=:", "", TS
    )


def test_the_legacy_signatures_match_the_documented_vectors() -> None:
    assert (
        signature_v2(SECRET, "GET", URI, "")
        == "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e"
    )
    assert (
        signature_v2(SECRET, "POST", URI, BODY)
        == "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900"
    )
    assert signature_v1(SECRET, V1_BODY) == "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"


def test_verify_by_headers_prefers_v3_and_takes_legacy_only_when_allowed() -> None:
    v3_headers = {"X-HubSpot-Signature-v3": V3, "X-HubSpot-Request-Timestamp": str(TS)}
    assert verify_signature(SECRET, method="POST", uri=URI, body=BODY, headers=v3_headers, now_ms=TS)
    v2 = signature_v2(SECRET, "POST", URI, BODY)
    legacy = {"X-HubSpot-Signature": v2, "X-HubSpot-Signature-Version": "v2"}
    assert not verify_signature(SECRET, method="POST", uri=URI, body=BODY, headers=legacy)
    assert verify_signature(SECRET, method="POST", uri=URI, body=BODY, headers=legacy, allow_legacy=True)
    v1 = {"x-hubspot-signature": signature_v1(SECRET, V1_BODY), "x-hubspot-signature-version": "v1"}
    assert verify_signature(SECRET, method="POST", uri=URI, body=V1_BODY, headers=v1, allow_legacy=True)
    assert not verify_signature(SECRET, method="POST", uri=URI, body=BODY, headers={}, allow_legacy=True)
