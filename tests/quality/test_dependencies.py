"""Every package the code imports is declared in pyproject.toml, in the part that installs it
where that code runs: the app's own code only what `pip install .` brings, tests and browser tests
also the `dev` extra, benchmarks also `bench`. A package that only came along with another one
(hypothesis with schemathesis, psutil with locust) may stop coming with it."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from functools import cache
from pathlib import Path

from django.utils.module_loading import import_string

# The settings as the project wrote them (tests swap in a fast hasher, for one).
from survivor_portal import settings

ROOT = Path(settings.BASE_DIR)
OURS = {"survivor_portal", "peer_support", "tests", "e2e", "bench", "manage"}
# Where code runs → the parts of pyproject.toml installed there.
PLACES = {
    "survivor_portal": ("runtime",), "peer_support": ("runtime",), "manage.py": ("runtime",),
    "gunicorn.conf.py": ("runtime",), "tests": ("runtime", "dev"), "e2e": ("runtime", "dev"),
    "bench": ("runtime", "dev", "bench"),
}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    parts = {"runtime": project["dependencies"], **project["optional-dependencies"]}
    return {part: {_canonical(re.match(r"[A-Za-z0-9._-]+", spec).group(0)) for spec in specs}
            for part, specs in parts.items()}


def _modules_named_in(tree: ast.AST) -> set[str]:
    """Imported modules, and packages whose files are read (importlib.resources.files("tzdata"))."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "files"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return {name.split(".")[0] for name in found}


def _settings_modules() -> set[str]:
    """What Django imports by name from the settings: apps, middleware, back ends, hash libraries."""
    paths = [*settings.INSTALLED_APPS, *settings.MIDDLEWARE, *settings.AUTHENTICATION_BACKENDS,
             *(store["BACKEND"] for store in settings.STORAGES.values()),
             *(cache["BACKEND"] for cache in settings.CACHES.values()),
             *(validator["NAME"] for validator in settings.AUTH_PASSWORD_VALIDATORS)]
    hashers = [import_string(path) for path in settings.PASSWORD_HASHERS]
    libraries = [hasher.library for hasher in hashers if getattr(hasher, "library", None)]
    libraries = [library[1] if isinstance(library, tuple) else library for library in libraries]
    return {path.split(".")[0] for path in [*paths, *libraries]}


@cache
def _installed() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


@cache
def _distribution(module: str) -> str:
    found = _installed().get(module)
    # Not installed here (bench's locust without `make install-bench`): its name is its module's.
    return _canonical(found[0] if found else module)


def _imports_by_place() -> dict[str, set[str]]:
    by_place: dict[str, set[str]] = {}
    files = [path for place in PLACES for path in ([ROOT / place] if place.endswith(".py") else
                                                   (ROOT / place).rglob("*.py"))]
    for path in files:
        place = path.relative_to(ROOT).parts[0]
        modules = _modules_named_in(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        by_place.setdefault(place, set()).update(modules)
    by_place["survivor_portal"] |= _settings_modules()
    return {place: {module for module in modules if module not in sys.stdlib_module_names and module not in OURS}
            for place, modules in by_place.items()}


def test_every_import_is_declared_where_its_code_runs():
    declared = _declared()
    missing = []
    for place, modules in sorted(_imports_by_place().items()):
        allowed = set().union(*(declared.get(part, set()) for part in PLACES[place]))
        missing += [f"{place} imports {module} ({_distribution(module)})" for module in sorted(modules)
                    if _distribution(module) not in allowed]
    assert missing == []


def test_the_check_sees_imports_in_each_place():
    """The test above would pass on an empty walk; this one would not."""
    by_place = _imports_by_place()
    assert {"django", "pwa", "zxcvbn", "confusables", "argon2", "whitenoise"} <= by_place["survivor_portal"]
    assert {"linkify_it", "phonenumbers", "tzdata"} <= by_place["peer_support"]
    assert {"hypothesis", "brotli", "factory"} <= by_place["tests"]
    assert {"locust", "psutil"} <= by_place["bench"]
