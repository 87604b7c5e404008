"""The version of what reads a page: a digest of the page-reading code and the engine's own version.

An OCR checkpoint (`ingest.workers`) stands for a page's reading only while the code and the
engine that made it are the ones in use; the page of one by another reader is read again
and its checkpoint replaced in place (nothing is left beside it to prune). The code's part is a digest of the source
of `ingest.recognise`, `ingest.raster` and the engine's module (an engine from outside this
project has only its `version()`), with every module of this project they import (found
from their import statements, lazy ones included), rather than a constant bumped by hand:
a forgotten bump would keep old readings without a word, which is the fault this guards
against. The digest costs one parse of some 25 files, once per process (about 0.1 s); at
worst it reads pages again after a change that did not alter what they read as, and only
for files whose batch had not finished (a finished file is never read again).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import importlib.util
from pathlib import Path

from ingest.ocr import OcrEngine

# The packages of this project: what they import from elsewhere is versioned by the engine.
_FIRST_PARTY = ("ingest", "gazette")
# Where a page is read: cleaned and recognised (`recognise`), decoded and judged blank (`raster`).
_READING_MODULES = ("ingest.recognise", "ingest.raster")


@functools.cache
def reader_version(engine: OcrEngine) -> str:
    """``<digest of the code> <engine.version()>``, once per engine object (`ocr.cached_engine` keeps one per settings)."""
    return f"{code_digest((*_READING_MODULES, type(engine).__module__))} {engine.version()}"


@functools.cache
def code_digest(modules: tuple[str, ...]) -> str:
    """A short SHA-256 of the source of ``modules`` and of every first-party module they import, in name order."""
    digest = hashlib.sha256()
    for name, path in sorted(_closure(modules).items()):
        digest.update(f"{name}\0{len(source := path.read_bytes())}\0".encode())
        digest.update(source)
    return digest.hexdigest()[:16]


def _closure(modules: tuple[str, ...]) -> dict[str, Path]:
    """``{module: its file}`` of ``modules`` (those of this project) and what they import, transitively.

    A package's ``__init__`` counts when it is imported by name, not as the parent of a module
    imported: `gazette/__init__.py` gathers the whole API, and none of it reads pages."""
    found: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in found or (path := _module_file(name)) is None:
            continue
        found[name] = path
        todo.extend(_imported(name, path))
    return found


def _module_file(name: str) -> Path | None:
    """The source file of a first-party module, by path alone (nothing is imported); None for
    other packages and for names that are not modules (``gazette.model.Box``)."""
    top, *parts = name.split(".")
    if top not in _FIRST_PARTY:
        return None
    base = _package_root(top).joinpath(*parts)
    for candidate in (base / "__init__.py", base.with_name(base.name + ".py")):
        if candidate.is_file():
            return candidate
    return None


@functools.cache
def _package_root(top: str) -> Path:
    file = importlib.import_module(top).__file__
    assert file is not None  # both are regular packages
    return Path(file).parent


def _imported(name: str, path: Path) -> list[str]:
    """Every module ``import`` and ``from … import`` name in the file (``from a import b`` gives ``a`` and ``a.b``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names
