"""Each translated message is written once in production code: a form, a service and a constraint that say the
same thing import it from one place (an app's messages.py, or the constraint's violation_error_message), so a
change of wording cannot reach one of them and miss another.

Walks every production module of the project's apps (not the tests, not the migrations) with `ast` and collects
the literal first argument of each call to a translation function (with its context for pgettext)."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("yushu_gov", "communities", "officers", "assessments")
TRANSLATE = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
WITH_CONTEXT = {"pgettext", "pgettext_lazy"}


def production_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def _name(func) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def translated_messages(source: str):
    """(message key, line) for each translation call with a literal message; the key carries the context."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _name(node.func) not in TRANSLATE:
            continue
        if _name(node.func) in WITH_CONTEXT:
            if len(node.args) >= 2 and _literal(node.args[0]) is not None and _literal(node.args[1]) is not None:
                yield f"{_literal(node.args[0])}\x04{_literal(node.args[1])}", node.lineno
        elif node.args and _literal(node.args[0]) is not None:
            yield _literal(node.args[0]), node.lineno


def test_the_collector_finds_messages_and_their_context():
    source = (
        'x = _("甲")\ny = gettext_lazy("甲")\nz = pgettext("月份", "甲")\nw = translation.ngettext("乙", "丙", 2)\n'
    )
    assert list(translated_messages(source)) == [("甲", 1), ("甲", 2), ("月份\x04甲", 3), ("乙", 4)]


def test_the_walk_reaches_every_app_and_skips_migrations():
    paths = [path.relative_to(ROOT).as_posix() for path in production_modules()]
    assert "yushu_gov/access/rights.py" in paths
    assert "officers/talks/services.py" in paths
    assert "assessments/reports/selectors.py" in paths
    assert not [path for path in paths if "/migrations/" in path]


def test_each_message_is_written_once():
    places = defaultdict(set)
    for path in production_modules():
        for message, line in translated_messages(path.read_text(encoding="utf-8")):
            places[message].add(f"{path.relative_to(ROOT).as_posix()}:{line}")
    assert places, "no translated message found"
    repeated = {message: sorted(where) for message, where in places.items() if len(where) > 1}
    assert not repeated, "written more than once:\n" + "\n".join(
        f"{message.replace(chr(4), ' | ')!r}: {', '.join(where)}" for message, where in sorted(repeated.items())
    )
