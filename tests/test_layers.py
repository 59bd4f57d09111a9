"""The layers of the house (STYLE.md), checked on the project's imports.

kernel (yushu_gov) ← places (communities) ← people and seats (officers) ← talks, ledger, residents'
requests ← assessments ← reports ← demo. A module may import its own app and the apps below it; the
siblings (talks, the ledger, the requests) never import each other; nothing but the URL configuration
reaches the reports (by module path, which is not an import); no production module imports the demo data.
Every import is read from the source, those inside functions included.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR)

# Django app label -> its floor. A new app must be given one here.
FLOORS = {
    "yushu_gov": 0,
    "communities": 1,
    "officers": 2,
    "talks": 3,
    "ledger": 3,
    "resident_requests": 3,
    "assessments": 4,
    "reports": 5,
    "demo": 6,
}
# Apps that only the app itself may import (the URL configuration includes them by module path).
UNIMPORTABLE = {"reports", "demo"}


def project_apps() -> dict[str, str]:
    """{python package: app label} for the project's own apps, longest package first."""
    found = {
        config.name: config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(BASE) and ".venv" not in Path(config.path).parts
    }
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


def app_of(module: str, packages: dict[str, str]) -> str | None:
    for package, label in packages.items():
        if module == package or module.startswith(package + "."):
            return label
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(BASE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_in(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """The absolute names of the modules `source` imports (relative imports resolved)."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module
            found.add(target)
            # `from package import module` imports the module too.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def violations(modules: dict[str, tuple[str, bool]], packages: dict[str, str]) -> list[str]:
    """Every import that breaks a rule, as "importer -> imported (why)". `modules` maps a module's name to
    (its source, whether it is a package)."""
    found = []
    for module, (source, is_package) in sorted(modules.items()):
        importer = app_of(module, packages)
        if importer is None:
            continue
        reported = set()  # one line per module and app it may not reach
        for target in sorted(imports_in(source, module, is_package=is_package)):
            imported = app_of(target, packages)
            if imported is None or imported == importer or imported in reported:
                continue
            if imported in UNIMPORTABLE:
                why = f"nothing imports the {imported} app"
            elif FLOORS[imported] >= FLOORS[importer]:
                why = f"{importer} may not import {imported}, a floor not below it"
            else:
                continue
            reported.add(imported)
            found.append(f"{module} -> {target} ({why})")
    return found


def production_modules() -> dict[str, tuple[str, bool]]:
    modules = {}
    for package in project_apps():
        root = BASE / package.replace(".", "/")
        for path in root.rglob("*.py"):
            modules[module_name(path)] = (path.read_text(encoding="utf-8"), path.name == "__init__.py")
    return modules


def test_every_project_app_has_a_floor():
    assert set(project_apps().values()) == set(FLOORS), "give every project app a floor in FLOORS"


def test_the_project_keeps_its_layers():
    assert violations(production_modules(), project_apps()) == []


def test_the_project_configuration_imports_no_app():
    # settings.py and urls.py name the apps as strings only.
    packages = project_apps()
    for name in ("settings", "urls", "wsgi"):
        source = (BASE / "yushu_gov" / f"{name}.py").read_text(encoding="utf-8")
        imported = {app_of(target, packages) for target in imports_in(source, f"yushu_gov.{name}")}
        assert imported <= {None, "yushu_gov"}, name


@pytest.mark.parametrize(
    ("module", "source", "why"),
    [
        ("officers.services", "from officers.talks.selectors import compliance_grid", "officers may not import talks"),
        ("officers.talks.views", "from ..ledger.models import WorkRecord", "talks may not import ledger"),
        (
            "officers.resident_requests.forms",
            "from officers.ledger.models import WorkRecord",
            "resident_requests may not import ledger",
        ),
        ("yushu_gov.home.panels", "from communities.models import Street", "yushu_gov may not import communities"),
        ("assessments.views", "from .reports import selectors", "nothing imports the reports app"),
        (
            "officers.ledger.views",
            "def f():\n    from assessments.demo import DEMO_MARK",
            "nothing imports the demo app",
        ),
    ],
)
def test_a_broken_rule_is_reported(module, source, why):
    found = violations({module: (source, False)}, project_apps())
    assert len(found) == 1 and why in found[0]


def test_allowed_imports_are_not_reported():
    sources = {
        "officers.talks.services": ("from officers.models import Appointment\nfrom .models import MonthlyTalk", False),
        "assessments.reports.views": ("from officers.talks.selectors import compliance_grid", False),
        "assessments.demo.talks": ("from . import DEMO_MARK\nfrom assessments import services", False),
    }
    assert violations(sources, project_apps()) == []
