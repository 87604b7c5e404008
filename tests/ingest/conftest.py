"""Shared inputs of the ingest tests: generated issue PDFs (the real corpus files are in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples.corpus import load_records
from tests.ingest.issue_pdf import Truth, build_issue


@pytest.fixture(scope="session")
def small_issue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Truth]]:
    """Four short documents: several start mid-page, one ends on a page of its own."""
    records = load_records()
    path = tmp_path_factory.mktemp("issue") / "small-issue.pdf"
    return path, build_issue([records[i] for i in (8, 9, 10, 16)], path)
