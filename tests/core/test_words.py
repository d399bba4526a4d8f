"""Times and durations as a person reads them."""

from __future__ import annotations


def test_a_time_just_now_reads_just_now_and_older_ones_read_ago() -> None:
    import datetime as dt

    from django.utils import timezone

    from hsadmin.core.templatetags.time_tags import ago

    assert ago(timezone.now() - dt.timedelta(seconds=20)) == "just now"
    assert ago(timezone.now() - dt.timedelta(minutes=5)) == "5\xa0minutes ago"
    assert ago(None) == ""


def test_durations_read_in_one_format_in_words() -> None:
    from hsadmin.participation.templatetags.participation_tags import duration

    assert [duration(s) for s in (37, 2900, 3000, 22112, None)] == [
        "37 s",
        "48 min 20 s",
        "50 min",
        "6 h 08 min",
        "",
    ]


def test_hubspots_codes_read_as_words() -> None:
    from hsadmin.core.templatetags.audit_tags import action_label
    from hsadmin.events.templatetags.event_tags import hubspot_status_label, property_label
    from hsadmin.lists.templatetags.list_tags import list_word

    assert hubspot_status_label("ONGOING") == "Live now" and hubspot_status_label("") == "—"
    assert property_label("hs_event_language") == "Event language"
    assert list_word("DYNAMIC") == "Updates itself" and list_word("COMPLETE") == "Ready"
    assert action_label("auth.sign_in") == "Signed in"
    assert action_label("portal.something_new") == "Portal: something new"
