from __future__ import annotations

from django.db import models


class RateLimitState(models.Model):
    """One HubSpot budget (a portal's key): what HubSpot last said about it, and a 429's wait."""

    key = models.CharField(max_length=100, primary_key=True)
    max = models.PositiveIntegerField(null=True, blank=True)
    remaining = models.IntegerField(null=True, blank=True)
    interval_ms = models.PositiveIntegerField(null=True, blank=True)
    blocked_until = models.FloatField(default=0.0)  # epoch seconds
    # When a person last asked for a slot (epoch seconds): jobs borrow the people's reserve only while it is old.
    people_at = models.FloatField(default=0.0)
    rate_limited_count = models.PositiveIntegerField(default=0)
    observed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.remaining}/{self.max}"


class RateLimitSlot(models.Model):
    """One request sent (or about to be) under a key, at an epoch time: the sliding window's contents."""

    key = models.CharField(max_length=100)
    at = models.FloatField()
    # Taken by a job (bulk): jobs may hold only their share of the window; people may use all of it.
    bulk = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self) -> str:
        return f"{self.key}@{self.at:.3f}"
