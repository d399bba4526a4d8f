from __future__ import annotations

from collections.abc import Callable

import pytest

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.portals.models import Portal
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures shared with the portals tests


@pytest.fixture
def portal(make_portal: Callable[..., Portal], marketing_user: User) -> Portal:  # noqa: F811
    return make_portal((marketing_user, Role.MARKETING))
