"""The layers of the house (STYLE.md), checked on the project's imports.

kernel (yushu_gov) ← places (communities) ← people and seats (officers) ← talks, ledger, residents'
requests ← assessments ← reports ← demo. A module may import its own app and the apps below it; the
siblings (talks, the ledger, the requests) never import each other; nothing but the URL configuration
reaches the reports (by module path, which is not an import); no production module imports the demo data.
Every import is read from the source, those inside functions included.

Inside the kernel the same holds for its wings (yushu_gov/<wing>/, each a concern): a wing imports its own
modules and the wings on floors below it, never a wing beside it or above it; the kernel's faces (its
settings, URLs and app config, the models package that gathers the wings' models for Django, and Django's
fixed places: template tags, management commands, migrations, formats) may import every wing, and no wing
imports them. No module of the project takes part in a circle of imports.
"""

import ast
from collections import defaultdict
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
    "open311": 4,
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


# --- The kernel's wings ---------------------------------------------------------------------------------

# Wing -> its floor. A wing may import only wings on a lower floor (the same floor: siblings, never each other).
WINGS = {
    "security": 1,
    "access": 1,
    "input": 1,
    "counts": 1,
    "replicas": 1,
    "lists": 2,
    "home": 2,
    "audit": 3,
    "notices": 4,
    "accounts": 5,
    "documents": 5,
    "web": 6,
}
# The kernel's faces: what Django or the deployment reads. They may import any wing; no wing imports them.
FACES = {"models", "templatetags", "management", "migrations", "formats", "apps", "settings", "urls", "wsgi"}
KERNEL = BASE / "yushu_gov"


def kernel_part(module: str) -> str | None:
    """The wing or face a kernel module belongs to (None for the kernel package itself or a non-kernel module)."""
    parts = module.split(".")
    if parts[0] != "yushu_gov" or len(parts) == 1:
        return None
    return parts[1]


def wing_violations(modules: dict[str, tuple[str, bool]]) -> list[str]:
    found = []
    for module, (source, is_package) in sorted(modules.items()):
        importer = kernel_part(module)
        if importer not in WINGS:
            continue
        reported = set()  # one line per module and wing it may not reach
        for target in sorted(imports_in(source, module, is_package=is_package)):
            imported = kernel_part(target)
            if imported is None or imported == importer or imported in reported:
                continue
            reported.add(imported)
            if imported in FACES:
                why = f"no wing imports the kernel's face {imported}"
            elif imported not in WINGS:
                why = f"{imported} is neither a wing nor a face"
            elif WINGS[imported] >= WINGS[importer]:
                why = f"{importer} may not import {imported}, a wing not below it"
            else:
                reported.discard(imported)
                continue
            found.append(f"{module} -> {target} ({why})")
    return found


def import_graph(modules: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    """module -> the project modules it imports (a `from package import name` names the module `name` when
    there is one, else the package)."""
    graph = defaultdict(set)
    for module, (source, is_package) in modules.items():
        for target in imports_in(source, module, is_package=is_package):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != module:
                graph[module].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_kernel_is_wings_and_faces():
    """At the kernel's top level only its faces' modules; every folder a wing or a face."""
    top = {path.stem for path in KERNEL.glob("*.py")} - {"__init__"}
    assert top <= FACES, f"modules at the kernel's top level: {sorted(top - FACES)}"
    folders = {path.parent.name for path in KERNEL.glob("*/__init__.py")}
    assert folders <= set(WINGS) | FACES, (
        f"give each kernel folder a floor in WINGS: {sorted(folders - set(WINGS) - FACES)}"
    )
    assert set(WINGS) <= folders


@pytest.mark.parametrize("wing", sorted(WINGS))
def test_each_wing_says_what_it_is_for(wing):
    """A wing's __init__ is its docstring alone: what the wing is for and what it may import."""
    tree = ast.parse((KERNEL / wing / "__init__.py").read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring and "import" in docstring.lower()
    assert len(tree.body) == 1, f"yushu_gov/{wing}/__init__.py defines or imports something"


def test_the_kernel_keeps_its_wings():
    assert wing_violations(production_modules()) == []


def test_no_circles_anywhere():
    assert circles(import_graph(production_modules())) == []


@pytest.mark.parametrize(
    ("module", "source", "why"),
    [
        ("yushu_gov.security.crypto", "from yushu_gov.audit.log import audit_log", "security may not import audit"),
        ("yushu_gov.accounts.models", "from ..documents.models import ExportJob", "accounts may not import documents"),
        ("yushu_gov.audit.log", "from yushu_gov.models import User", "no wing imports the kernel's face models"),
        ("yushu_gov.lists.lookups", "def f():\n    from yushu_gov.web import views", "lists may not import web"),
        ("yushu_gov.input.months", "from yushu_gov.attic import old", "attic is neither a wing nor a face"),
    ],
)
def test_a_broken_wing_rule_is_reported(module, source, why):
    found = wing_violations({module: (source, False)})
    assert len(found) == 1 and why in found[0]


def test_a_circle_is_found():
    modules = {
        "yushu_gov.documents.export_jobs": ("def f():\n    from .tasks import run_export", False),
        "yushu_gov.documents.tasks": ("from .export_jobs import export_job_run", False),
        "yushu_gov.documents.pdf": ("from . import xlsx", False),
        "yushu_gov.documents.xlsx": ("", False),
    }
    assert circles(import_graph(modules)) == [["yushu_gov.documents.export_jobs", "yushu_gov.documents.tasks"]]
