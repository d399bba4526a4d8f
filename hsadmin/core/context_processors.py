from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hsadmin.core.nav import nav_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's shell (base.html) needs: the navigation for this person."""
    return {
        "nav_links": SimpleLazyObject(lambda: nav_for(request))
    }  # only pages that draw the nav pay for it
