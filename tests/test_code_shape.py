"""The code's shape, as the team's standards state it: no module over 400 lines (code and
tests alike; migrations are generated), and no import inside a function to get round a
cycle (ARCHITECTURE.md: a lower layer never reaches up, not even late)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("departments", "disclosure", "tasks_ledger", "tests", "benchmarks", "scripts")
MAX_LINES = 400


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_modules_are_found():
    # A wrong root would make both tests below pass on nothing.
    names = {path.relative_to(ROOT).as_posix() for path in _modules()}
    assert "tasks_ledger/ledger/services.py" in names
    assert "tests/test_code_shape.py" in names
    assert not any("/migrations/" in name for name in names)


def test_no_module_is_over_400_lines():
    long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, "split these by concern"


def _imports_in_functions(tree: ast.AST):
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        # Django's documented place for wiring that needs the app registry ready.
        if node.name == "ready":
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                yield node.name, inner.lineno


def test_no_import_sits_inside_a_function_of_the_application():
    found = [
        f"{path.relative_to(ROOT).as_posix()}:{line} (in {function})"
        for path in _modules()
        if path.parts[len(ROOT.parts)] in ("departments", "disclosure", "tasks_ledger")
        for function, line in _imports_in_functions(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []
