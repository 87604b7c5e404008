"""The Whoosh backend: it leaves the `whoosh` package as it found it, and answers on every index stock Whoosh opens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gazette.model import Document
from gazette.search import get_backend

from .conftest import synthetic

ROOT = Path(__file__).resolve().parents[3]

# Imports every module of the whoosh package, snapshots the attributes of each module and of
# each class defined there (by identity), then imports gazette.search and indexes, updates,
# deletes and searches through the whoosh backend, and prints what differs. (`__slotnames__`
# is the cache pickle keeps on a class it has pickled an instance of: Whoosh pickles its schema.)
UNCHANGED = r"""
import importlib, inspect, pkgutil, sys, tempfile
from pathlib import Path

import whoosh

for info in pkgutil.walk_packages(whoosh.__path__, "whoosh."):
    try:
        importlib.import_module(info.name)
    except Exception:  # (optional dependencies of a few modules)
        pass


def snapshot():
    found = {}
    for name, module in list(sys.modules.items()):
        if name != "whoosh" and not name.startswith("whoosh."):
            continue
        found[name] = {key: id(value) for key, value in vars(module).items()}
        for key, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == name:
                found[f"{name}.{key}"] = {attr: id(item) for attr, item in vars(value).items() if attr != "__slotnames__"}
    return found


before = snapshot()
from gazette.model import Block, Document
from gazette.search import get_backend

docs = [
    Document(id=f"d{n}", title="关于推进数字政府建设的通知", body=(Block("paragraph", "各地要推进数字政府建设。"),),
             issuer=("国务院",), doc_type="通知", date_written=f"2018-01-{n % 28 + 1:02d}", disclosure="主动公开")
    for n in range(30)
]
backend = get_backend("whoosh", Path(tempfile.mkdtemp()) / "whoosh")
backend.rebuild(docs)
backend.update(docs[:3])
backend.delete(["d4"])
assert backend.search('"数字政府" 年份:2018 -遵').total == 29
assert backend.search("通知 机关:国务院", sort="date_desc").total == 29
after = snapshot()
print("\n".join(sorted(name for name in before if before[name] != after.get(name))))
"""


def test_importing_and_using_gazette_search_leaves_whoosh_unchanged() -> None:
    env = os.environ | {"PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", UNCHANGED], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"changed in whoosh: {done.stdout}"


def test_an_index_whose_documents_are_all_deleted_finds_nothing(tmp_path: Path, all_docs: tuple[Document, ...]) -> None:
    backend = get_backend("whoosh", tmp_path / "whoosh")
    docs = [doc for doc in all_docs if doc.is_public]
    backend.rebuild(docs)
    backend.delete([doc.id for doc in docs])
    for sort in ("relevance", "date_asc", "date_desc"):
        result = backend.search("国务院 OR 通知 OR 年份:2018", sort=sort)  # type: ignore[arg-type]
        assert (result.total, result.hits, result.facets) == (0, (), {"issuer": {}, "doc_type": {}, "year": {}})
    assert backend.search("NOT 通知").total == 0


def test_a_segment_written_after_the_searcher_opened_is_searched(tmp_path: Path) -> None:
    backend = get_backend("whoosh", tmp_path / "whoosh")
    backend.update([synthetic("a", "关于青蛙的通知", "青蛙。")])
    assert backend.search("青蛙").total == 1
    backend.update([synthetic("b", "关于青蛙的意见", "青蛙。", doc_type="意见", date_written="2002-01-01")])
    result = backend.search("青蛙")
    assert result.total == 2 and result.facets["doc_type"] == {"意见": 1, "通知": 1}
    assert result.facets["year"] == {"2001": 1, "2002": 1}
