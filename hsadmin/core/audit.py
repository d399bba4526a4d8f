"""The audit log: one service every HubSpot write and every security event goes through (design §3, rule 8)."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from hsadmin.core.models import AuditEntry, Outcome, User


class AuditedPortal(Protocol):
    """What the log keeps of a portal (core sits below `portals`, so it names no portal model)."""

    pk: Any
    name: str
    hub_id: int


logger = logging.getLogger("hsadmin.audit")


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    portal: AuditedPortal | None = None,
    target: str = "",
    outcome: str = Outcome.SUCCESS,
    correlation_id: str | None = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Record who did what, where, on what, and how it ended (HubSpot's correlationId on failure)."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    entry = AuditEntry.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        portal_id=portal.pk if portal else None,
        portal_name=portal.name if portal else "",
        action=action,
        target=str(target)[:300],
        outcome=outcome,
        correlation_id=correlation_id or "",
        detail=detail or {},
        ip_address=_client_ip(request),
    )
    logger.info(
        "audit action=%s actor=%s portal=%s target=%s outcome=%s correlation_id=%s",
        action,
        entry.actor_name or "-",
        portal.hub_id if portal else "-",
        entry.target or "-",
        outcome,
        entry.correlation_id or "-",
    )
    return entry


def audit_failure(
    *, action: str, error: Exception, detail: dict[str, Any] | None = None, **kwargs: Any
) -> AuditEntry:
    """Record a HubSpot refusal or failure, keeping its correlationId and category."""
    info = dict(detail or {})
    info.setdefault("error", str(error)[:500])
    category = getattr(error, "category", None)
    if category:
        info.setdefault("category", category)
    return audit_record(
        action=action,
        outcome=Outcome.FAILURE,
        correlation_id=getattr(error, "correlation_id", "") or "",
        detail=info,
        **kwargs,
    )


@receiver(user_logged_in)
def _signed_in(sender: type, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit_record(action="auth.sign_in", actor=user, target=user.get_username(), request=request)


@receiver(user_logged_out)
def _signed_out(sender: type, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="auth.sign_out", actor=user, target=user.get_username(), request=request)


@receiver(user_login_failed)
def _sign_in_failed(
    sender: type, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(action="auth.sign_in_failed", target=username, outcome=Outcome.DENIED, request=request)
