"""The simulator's WSGI application, served by waitress (``manage.py simulator serve``).

It wraps Django's handler for one reason: a ``drop`` or ``timeout`` fault must close the connection without
any HTTP answer. Waitress closes the socket, sending nothing, when the application raises its
``ClientDisconnected`` before writing headers; the middleware marks such responses with ``simulator_drop``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsadmin.simulator.settings")

from django.core.wsgi import get_wsgi_application
from waitress.channel import ClientDisconnected

_django = get_wsgi_application()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
        captured["args"] = (status, headers, exc_info)
        return lambda _data: None

    body = _django(environ, capture)
    if captured["args"][0].startswith("499"):
        if hasattr(body, "close"):
            body.close()
        raise ClientDisconnected("simulated dropped connection")
    status, headers, exc_info = captured["args"]
    start_response(status, headers, exc_info)
    return body
