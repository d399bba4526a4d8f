from __future__ import annotations

import pytest

from hsadmin.core.progress import eta_seconds, format_duration, format_rate, percent, throughput


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [(0, 10, 0), (1, 3, 33), (2, 3, 66), (999, 1000, 99), (1000, 1000, 100), (5, None, None), (0, 0, 100)],
)
def test_percent_is_floored_so_100_means_all_of_it(
    done: int, total: int | None, expected: int | None
) -> None:
    assert percent(done, total) == expected


def test_throughput_is_none_until_something_was_done_over_some_time() -> None:
    assert throughput(0, 10) is None
    assert throughput(10, 0) is None
    assert throughput(250, 10) == 25


def test_eta_is_remaining_over_rate_and_unknown_without_either() -> None:
    assert eta_seconds(900, 90.0) == 10
    assert eta_seconds(None, 90.0) is None
    assert eta_seconds(900, None) is None


def test_durations_and_rates_read_well() -> None:
    assert format_duration(0.3) == "under a second" and format_duration(0) == "under a second"
    assert format_duration(1) == "1 second"
    assert format_duration(75) == "75 seconds"
    assert format_duration(600) == "10 minutes"
    assert format_duration(3 * 3600 + 5 * 60) == "3 h 05 min"
    assert format_rate(1234.4) == "1,234"
    assert format_rate(12.34) == "12.3"
    assert format_rate(0.5) == "0.50"
