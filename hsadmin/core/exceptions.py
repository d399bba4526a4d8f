"""Exceptions a view may raise instead of answering itself."""

from __future__ import annotations


class SendElsewhere(Exception):
    """Take the person to `url` with a message: what they asked for is not possible here, but is there.

    `portal_required` turns it into a redirect (a whole-page one for HTMX) with the message as a toast.
    """

    def __init__(self, url: str, message: str) -> None:
        super().__init__(message)
        self.url = url
        self.message = message


class ActionFailed(Exception):
    """What a person asked for was not done. `message` says why in their words; `correlation_id` is HubSpot's
    reference when HubSpot refused or failed (kept in the audit log).

    The one application error: the HubSpot gateway turns every client error and a disconnected portal into it,
    and services raise it for the refusals of their own rules (a draft cannot have lists, a file is too big).
    """

    def __init__(self, message: str, *, correlation_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.correlation_id = correlation_id
