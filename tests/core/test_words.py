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
