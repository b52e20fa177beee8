"""The portal's own apps: the installed apps whose package is a directory of this repository.

Derived from INSTALLED_APPS rather than listed, so that a new app is covered by the
constraint registries (tests/constraint_registry.py) and must be named in the import
contracts (tests/test_layers.py) the day it is installed.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

REPO_ROOT = Path(__file__).resolve().parent.parent


def project_app_labels() -> tuple[str, ...]:
    """The labels of this repository's installed apps, in INSTALLED_APPS order."""
    return tuple(
        config.label for config in apps.get_app_configs() if Path(config.path).resolve().parent == REPO_ROOT
    )
