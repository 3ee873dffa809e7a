"""The layout DESIGN.md describes, held by the code: an app never imports from one that
builds on it, and a service never imports its tasks (a task calls its services)."""

import ast
from pathlib import Path

SOBRIO = Path(__file__).parent.parent / "sobrio"


def _imports(path):
    """Every sobrio module a file imports, at its top or inside a function."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sobrio."):
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("sobrio."))


def _app_imports(app):
    found = {}
    for path in (SOBRIO / app).rglob("*.py"):
        if "migrations" not in path.parts:
            for module in _imports(path):
                found.setdefault(module.split(".")[1], set()).add(path.name)
    return found


def test_agir_apps_import_upwards_only():
    # badges listens to learning, cleanup and ideas; none of them knows badges or another
    never = {
        "core": {"learning", "cleanup", "ideas", "badges", "reports", "network"},
        "imports": {"learning", "cleanup", "ideas", "badges"},
        "learning": {"cleanup", "ideas", "badges", "reports", "network"},
        "cleanup": {"learning", "ideas", "badges", "reports", "network"},
        "ideas": {"learning", "cleanup", "badges", "reports", "network"},
        "badges": {"reports", "network"},
    }
    for app, forbidden in never.items():
        wrong = {other: files for other, files in _app_imports(app).items() if other in forbidden}
        assert not wrong, (app, wrong)


def test_nothing_imports_the_former_awareness_app():
    for path in SOBRIO.rglob("*.py"):
        if "awareness" not in path.parts:
            assert not any(m.startswith("sobrio.awareness") for m in _imports(path)), path


def test_services_never_import_their_tasks():
    for service in ("footprint/services.py", "imports/flow.py", "imports/jobs.py"):
        app = service.split("/")[0]
        assert f"sobrio.{app}.tasks" not in set(_imports(SOBRIO / service)), service
