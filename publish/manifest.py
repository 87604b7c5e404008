"""ISSUE.toml: one issue to publish — cover data, sections, and where each document comes from.

```toml
[issue]
gazette = "广东省人民政府公报"
year = 2026
number = 12            # 第12期
total = 1234           # 总第1234期
date = 2026-06-30      # 出版日期
publisher = "广东省人民政府办公厅"

[[sections]]
title = "省政府文件"
documents = ["粤府〔2026〕1号", "drafts/通知.docx", "xml/某文件.xml"]

[fonts]                # optional: font files by role (path or path#index)
fangsong = "/usr/share/fonts/office/仿宋_GB2312.ttf"
```

The ``[issue]`` table is read by `gazette.issuedata` (the same table an ``issue.toml`` beside
scanned pages holds for ingest). An entry is a document in the archive (id or 文号 in any printed form), a ``.docx`` or an
Akoma Ntoso ``.xml``, paths relative to the manifest. Errors are one line naming the
manifest and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazette.exceptions import BadInputError
from gazette.issuedata import issue_from_table


@dataclass(frozen=True)
class SectionSpec:
    title: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    path: Path
    gazette: str
    year: int
    number: int
    date: str
    publisher: str = ""
    total: int | None = None
    sections: tuple[SectionSpec, ...] = ()
    fonts: dict[str, str] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent


def read_manifest(path: Path) -> Manifest:
    if path.is_dir():
        raise BadInputError("is a folder; pass the issue's .toml file", path=str(path))
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BadInputError("no such issue file", path=str(path)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadInputError(f"cannot read the issue file: {error}", path=str(path)) from None
    where = str(path)
    issue = issue_from_table(_table(data, "issue", where), where)
    sections = []
    for n, section in enumerate(data.get("sections", []), 1):
        if not isinstance(section, dict):
            raise BadInputError(f"[[sections]] {n} is not a table", path=where)
        title = _string(section, "title", where, f"[[sections]] {n}")
        entries = section.get("documents", [])
        if not isinstance(entries, list) or not all(isinstance(e, str) and e.strip() for e in entries):
            raise BadInputError(f"[[sections]] {n} documents must be a list of names", path=where)
        sections.append(SectionSpec(title, tuple(e.strip() for e in entries)))
    if not any(section.entries for section in sections):
        raise BadInputError("the issue lists no documents ([[sections]] documents = [...])", path=where)
    fonts = data.get("fonts", {})
    if not isinstance(fonts, dict) or not all(isinstance(v, str) for v in fonts.values()):
        raise BadInputError("[fonts] maps roles to font files", path=where)
    resolved = {role: str((path.parent / file).resolve()) if file else "" for role, file in fonts.items()}
    gazette, year, number, date = issue.gazette, issue.year, issue.number, issue.date
    if gazette is None or year is None or number is None or date is None:  # (required by issue_from_table)
        raise BadInputError("[issue] needs gazette, year, number and date", path=where)
    return Manifest(
        path=path,
        gazette=gazette,
        year=year,
        number=number,
        date=date,
        publisher=issue.publisher,
        total=issue.total,
        sections=tuple(sections),
        fonts=resolved,
    )


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise BadInputError(f"no [{key}] table", path=where)
    return value


def _string(table: dict[str, Any], key: str, where: str, name: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadInputError(f"{name} {key} is missing or empty", path=where)
    return value.strip()
