from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures shared with the portals tests
