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
