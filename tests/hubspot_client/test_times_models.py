"""Times at the boundary and model parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hsadmin.hubspot_client import (
    BatchStatus,
    EventCreate,
    EventUpdate,
    MarketingEvent,
    ParticipationState,
    SubscriberState,
    from_epoch_ms,
    parse_iso,
    parse_time,
    to_epoch_ms,
    to_iso,
)


def test_epoch_milliseconds_become_aware_utc_datetimes_exactly() -> None:
    assert from_epoch_ms(1700000000123) == datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)
    assert from_epoch_ms("1700000000123") == from_epoch_ms(1700000000123)
    assert (
        to_epoch_ms(datetime(2023, 11, 14, 23, 13, 20, 123999, tzinfo=timezone(timedelta(hours=1))))
        == 1700000000123
    )


@given(st.integers(min_value=-(10**12), max_value=10**13))
def test_epoch_milliseconds_round_trip(ms: int) -> None:
    assert to_epoch_ms(from_epoch_ms(ms)) == ms


def test_iso_strings_parse_with_z_offsets_or_no_zone() -> None:
    assert parse_iso("2026-05-01T15:00:00Z") == datetime(2026, 5, 1, 15, tzinfo=UTC)
    assert parse_iso("2026-05-01T17:00:00+02:00") == datetime(2026, 5, 1, 15, tzinfo=UTC)
    assert parse_iso("2026-05-01T15:00:00").tzinfo is UTC
    assert (
        to_iso(datetime(2026, 5, 1, 17, 0, 0, 5000, tzinfo=timezone(timedelta(hours=2))))
        == "2026-05-01T15:00:00.005Z"
    )


def test_parse_time_accepts_every_form_hubspot_sends() -> None:
    assert parse_time(None) is None and parse_time("") is None
    assert parse_time(1700000000000) == parse_time("1700000000000") == parse_time("2023-11-14T22:13:20Z")
    with pytest.raises(ValueError):
        parse_time(True)


def test_naive_datetimes_are_refused_on_the_way_out() -> None:
    naive = datetime(2026, 5, 1, 15)
    with pytest.raises(ValueError, match="naive"):
        to_iso(naive)
    with pytest.raises(ValueError, match="naive"):
        EventCreate("a", "b", "c", "d", start_date_time=naive).to_api()


def test_the_enums_speak_hubspots_spellings() -> None:
    assert [s.value for s in SubscriberState] == ["register", "attend", "cancel"]
    assert {"REGISTERED", "ATTENDED", "CANCELLED", "NO_SHOW"} <= {s.value for s in ParticipationState}
    assert BatchStatus("CANCELED") is BatchStatus.CANCELED


def test_an_event_update_sends_only_what_is_set() -> None:
    assert EventUpdate().to_api() == {"customProperties": []}
    assert EventUpdate(event_url="https://x", custom_properties={"a": "1"}).to_api() == {
        "customProperties": [{"name": "a", "value": "1"}],
        "eventUrl": "https://x",
    }


def test_results_are_frozen() -> None:
    event = MarketingEvent.from_api({"objectId": "1", "eventName": "x"})
    with pytest.raises(AttributeError):
        event.event_name = "y"  # type: ignore[misc]
