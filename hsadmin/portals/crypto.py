"""Tokens at rest: encrypted with MultiFernet under keys from HSADMIN_TOKEN_KEYS, apart from SECRET_KEY.

The first key encrypts; every key decrypts, so a new key goes first, `manage.py rotate_token_keys`
re-encrypts every stored token under it, and then the old keys can be dropped.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "HSADMIN_TOKEN_KEYS is empty: hsadmin needs at least one key to store tokens."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "HSADMIN_TOKEN_KEYS holds a key that is not a Fernet key (32 url-safe base64-encoded bytes). "
            'Make one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        ) from exc


def token_cipher() -> MultiFernet:
    return _fernet(tuple(settings.HSADMIN_TOKEN_KEYS))


def encrypt(value: str) -> str:
    return token_cipher().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    try:
        return token_cipher().decrypt(value.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored token cannot be decrypted with any key in HSADMIN_TOKEN_KEYS (was a key removed "
            "before `manage.py rotate_token_keys` ran?)."
        ) from exc


def rotate(value: str) -> str:
    """The same secret, re-encrypted under the first (newest) key."""
    return token_cipher().rotate(value.encode()).decode()


class Secret(str):
    """A decrypted secret that does not show itself in `repr`, logs or tracebacks' locals."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Secret('********')"


class EncryptedTextField(models.TextField[Any, Any]):
    """A text column stored encrypted; Python sees a `Secret` (or None).

    A few lines of our own rather than a library: the maintained options either tie encryption to SECRET_KEY
    or do not support key rotation with MultiFernet, which this project needs.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Secret | None:
        return None if value is None else Secret(decrypt(value))

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None
        return encrypt(str(value))
