"""The examples in docs/api.md run as written, from the repository's root."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _examples(name: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "docs" / name).read_text("utf-8"), flags=re.DOTALL)


def test_the_api_examples_run_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    examples = _examples("api.md")
    assert len(examples) >= 5
    namespace: dict[str, object] = {}
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        for example in examples:
            exec(compile(example, "docs/api.md", "exec"), namespace)
    finally:
        os.chdir(here)
    printed = capsys.readouterr().out
    assert "粤办函〔2016〕629号 广东省人民政府办公厅关于推进阳光政务建设工作的通知" in printed
    assert "1 ['粤办函〔2016〕629号']" in printed and "\n[]\n" in printed
