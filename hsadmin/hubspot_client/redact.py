"""Keep secrets out of logs, exception messages and reprs (design §3, rule 9).

Tokens travel in three places: the Authorization header, the query string (`hapikey`, the legacy
`client_secret`/`refresh_token` query form) and the path of the v1 token-info endpoints
(`/oauth/v1/access-tokens/{token}`). OAuth form bodies carry `client_secret`, `code`, `refresh_token`
and `code_verifier`. Everything that logs or formats a request goes through these helpers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"

SECRET_KEYS = frozenset(
    {
        "hapikey",
        "access_token",
        "refresh_token",
        "client_secret",
        "code",
        "code_verifier",
        "token",
        "id_token",
        "client_assertion",
        "authorization",
        "developer_api_key",
    }
)

_QUERY_SECRET = re.compile(
    r"(?i)\b(hapikey|access_token|refresh_token|client_secret|code_verifier|code|token|id_token"
    r"|client_assertion)=([^&\s\"']+)"
)
_JSON_SECRET = re.compile(
    r"(?i)([\"'](?:access_token|refresh_token|client_secret|id_token|token|hapikey|code_verifier)[\"']"
    r"\s*:\s*[\"'])([^\"']*)([\"'])"
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+")
_TOKEN_PATH = re.compile(r"(/oauth/v1/(?:access-tokens|refresh-tokens)/)([^/?#\s]+)")


def redact_text(text: str) -> str:
    """Mask every token-looking value in free text: URLs, form bodies, JSON, headers."""
    text = _TOKEN_PATH.sub(lambda m: m.group(1) + REDACTED, text)
    text = _QUERY_SECRET.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    text = _JSON_SECRET.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
    return _BEARER.sub(lambda m: m.group(1) + REDACTED, text)


def redact_url(url: object) -> str:
    """A URL safe to log: secret query values and tokens in token-info paths are masked."""
    return redact_text(str(url))


def redact_mapping(values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a header, form or query mapping with the secret entries masked."""
    return {key: (REDACTED if key.lower() in SECRET_KEYS else value) for key, value in values.items()}


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the rendered message; install it on any handler that may see URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


def quiet_httpx_logging() -> None:
    """httpx and httpcore log every request URL at INFO/DEBUG, and URLs can carry `hapikey`."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
