from __future__ import annotations

from django.db import models


class UsedSignature(models.Model):
    """A HubSpot request signature already accepted, kept while its timestamp could still be accepted.

    In the database, so every web process of every machine refuses the same replay (a per-process cache would
    let a replay through to another process).
    """

    digest = models.CharField(max_length=64, primary_key=True)  # SHA-256 of the signature, hex
    used_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.digest[:12]}… at {self.used_at:%Y-%m-%d %H:%M:%S}"
