"""Re-encrypt every stored token under the newest key in HSADMIN_TOKEN_KEYS.

Rotation: put a new key first in HSADMIN_TOKEN_KEYS (keep the old ones after it), restart, run this command,
then remove the old keys.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from hsadmin.core.audit import audit_record
from hsadmin.portals.models import Portal


class Command(BaseCommand):
    help = "Re-encrypt every portal's tokens under the first key of HSADMIN_TOKEN_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        with transaction.atomic():
            for portal in Portal.objects.select_for_update().exclude(access_token=None, refresh_token=None):
                # Reading decrypts with any key; saving encrypts with the first.
                Portal.objects.filter(pk=portal.pk).update(
                    access_token=portal.access_token, refresh_token=portal.refresh_token
                )
                count += 1
        audit_record(action="security.rotate_token_keys", detail={"portals": count})
        self.stdout.write(
            self.style.SUCCESS(f"Re-encrypted the tokens of {count} portal(s) under the newest key.")
        )
