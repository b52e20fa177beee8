"""The import contracts name every app: a new app that is not in them fails `make test`.

`lint-imports` (run by `make test` before pytest) checks the contracts in pyproject.toml;
it cannot know about an app that the contracts leave out, so this test compares them with
the installed apps of this repository, plus `config` (the wiring, which is no app).
"""

from __future__ import annotations

import re
import tomllib

from tests.project import REPO_ROOT, project_app_labels

CONFIG = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}
PACKAGES = {*project_app_labels(), "config"}


def layer_modules(layers: list[str]) -> list[str]:
    """The module names in a layers contract: "a | b" and "a : b" are siblings, "(a)" is optional."""
    return [name.strip("() ") for layer in layers for name in re.split(r"[|:]", layer)]


def test_the_contracts_are_the_ones_the_design_asks_for():
    assert sorted(CONTRACTS) == ["layers", "no-cycles", "pure-matching"]
    assert [CONTRACTS[key]["type"] for key in ("layers", "pure-matching", "no-cycles")] == [
        "layers",
        "forbidden",
        "acyclic_siblings",
    ]


def test_the_layers_name_every_app_once_in_the_designs_order():
    names = layer_modules(CONTRACTS["layers"]["layers"])
    assert len(names) == len(set(names)), names
    assert set(names) == PACKAGES
    assert names == [
        "config",
        "demo",
        "public",
        "dashboard",
        "placements",
        "universities",
        "schools",
        "companies",
        "privacy",
        "district",
    ]


def test_the_graph_and_the_cycle_check_cover_every_app():
    assert set(CONFIG["root_packages"]) == PACKAGES
    assert set(CONTRACTS["no-cycles"]["ancestors"]) == PACKAGES


def test_the_matching_engine_may_import_no_app_and_no_django():
    forbidden = set(CONTRACTS["pure-matching"]["forbidden_modules"])
    assert forbidden == (PACKAGES - {"placements"}) | {"placements.*", "django"}
    assert CONTRACTS["pure-matching"]["source_modules"] == ["placements.matching"]
    assert CONFIG["include_external_packages"] is True


def test_only_migrations_may_be_ignored():
    assert CONTRACTS["layers"].get("ignore_imports") == ["*.migrations.* -> **"]
    for key in ("pure-matching", "no-cycles"):
        assert "ignore_imports" not in CONTRACTS[key], key
