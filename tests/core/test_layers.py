"""The layers never loop: each package imports only from the layers below it (README, "How it is built").

Read from the source with `ast`, every import anywhere in a module (inside functions too, and under
TYPE_CHECKING), so a cycle cannot hide in a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "hsadmin"

# Lowest first. A package may import from its own layer's package and from any package listed before it.
LAYERS: list[set[str]] = [
    {"hubspot_client"},
    {"core"},
    {"portals"},
    {"hubspot"},
    {"jobs"},
    {"events"},
    {"lists", "participation", "appsettings", "reports"},
]
FEATURES_ABOVE_EVENTS = {"lists", "participation", "appsettings", "reports"}


def _layer_of(package: str) -> int | None:
    return next((i for i, layer in enumerate(LAYERS) if package in layer), None)


def _imported_packages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "hsadmin" and len(parts) > 1:
                found.add(parts[1])
    return found


def _modules(package: str) -> list[Path]:
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("package", sorted(set().union(*LAYERS)))
def test_a_package_imports_only_from_the_layers_below_it(package: str) -> None:
    own = _layer_of(package)
    assert own is not None
    wrong = {}
    for path in _modules(package):
        for other in _imported_packages(path):
            layer = _layer_of(other)
            if layer is None or other == package:
                continue
            sideways = layer == own and other != package
            if layer > own or (sideways and package not in FEATURES_ABOVE_EVENTS):
                wrong.setdefault(str(path.relative_to(ROOT)), set()).add(other)
    assert wrong == {}, "imports from a layer above (or a loop): move the code, do not hide the import"


def test_core_names_no_portal() -> None:
    mentions = [
        str(path.relative_to(ROOT))
        for path in _modules("core")
        if "hsadmin.portals" in path.read_text(encoding="utf-8")
    ]
    assert mentions == []


def test_only_the_gateway_hands_clients_to_services() -> None:
    """Services reach HubSpot through `hsadmin.hubspot.gateway`; `portals` builds the clients it gives out."""
    builders = ("hubspot_client_for(", "app_client(", "HubSpotClient(")
    allowed = {"portals", "hubspot", "hubspot_client", "simulator"}
    found = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] not in allowed
        and any(builder in path.read_text(encoding="utf-8") for builder in builders)
    ]
    assert found == []
