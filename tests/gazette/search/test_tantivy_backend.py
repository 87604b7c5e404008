"""A tantivy archive never loads Whoosh."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEARCH_WITH_TANTIVY = """
import sys, tempfile
from pathlib import Path
from gazette.archive import Archive
from gazette.search import rebuild_index, search
from tests.gazette.conftest import make_document
archive = Archive.create(Path(tempfile.mkdtemp()) / "archive")
archive.put_document(make_document())
rebuild_index(archive, "tantivy")
assert search(archive, "阳光政务", backend="tantivy").total == 1
print(sorted(name for name in sys.modules if name.split(".")[0] == "whoosh"))
"""


def test_searching_with_tantivy_imports_no_whoosh() -> None:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SEARCH_WITH_TANTIVY], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
