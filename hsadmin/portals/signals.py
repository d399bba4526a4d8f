"""Forget a person's cached capabilities as soon as their memberships or groups change; and `portal_connected`,
which apps above `portals` listen to (the events app starts the first sync)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver

from hsadmin.portals.backends import forget_capabilities
from hsadmin.portals.models import Membership

# Sent once a portal is connected or reconnected, with `portal` and `created`.
portal_connected = Signal()


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _membership_changed(sender: type, instance: Membership, **kwargs: Any) -> None:
    forget_capabilities(instance.user_id)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def _groups_changed(
    sender: type, instance: Any, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if not reverse:
        forget_capabilities(instance.pk)
    else:
        for user_id in pk_set or ():
            forget_capabilities(user_id)
