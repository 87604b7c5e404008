"""An issue's data (《gazette》 year 第number期, 总第total期, date): one home for reading and checking it.

The same ``[issue]`` table serves the publisher's manifest (`publish.manifest`) and the
``issue.toml`` an archivist puts beside scanned pages; ``gazette ingest --gazette NAME
--year Y --number N [--total M] [--date D]`` gives the same values on the command line.

```toml
[issue]
gazette = "国务院公报"
year = 1996
number = 5
total = 790        # optional
date = 1996-03-20  # optional beside scans; a TOML date or a printed one ("1996年3月20日")
```

Where an issue's data comes from more than one place, `settle` takes each value from the
first place that gives it (the command line, then issue.toml, then what was read from
the cover) and says where they disagree. Errors are one line naming the file or option.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from gazette.dates import parse_date
from gazette.exceptions import BadInputError

#: The keys of an ``[issue]`` table.
ISSUE_KEYS = ("gazette", "year", "number", "total", "date", "publisher")
#: Years a gazette can carry: from the late Qing 官报 to well past today; 99999 is a typo.
FIRST_YEAR, LAST_YEAR = 1800, 2200


@dataclass(frozen=True)
class IssueData:
    """What is known of an issue; None where nothing says. ``date`` is ISO (``YYYY-MM-DD``)."""

    gazette: str | None = None
    year: int | None = None
    number: int | None = None
    total: int | None = None
    date: str | None = None
    publisher: str = ""

    @property
    def named(self) -> tuple[str, int, int] | None:
        """The gazette, year and number when all three are known (they name an issue), else None."""
        if not self.gazette or self.year is None or self.number is None:
            return None
        return self.gazette, self.year, self.number


def issue_from_table(
    table: Mapping[str, Any], where: str, *, required: Sequence[str] = ("gazette", "year", "number", "date")
) -> IssueData:
    """The ``[issue]`` table checked: ``required`` keys present, no unknown key, every value sound."""
    unknown = sorted(set(table) - set(ISSUE_KEYS))
    if unknown:
        raise BadInputError(f"[issue] has an unknown key {unknown[0]!r}; keys are {', '.join(ISSUE_KEYS)}", path=where)
    missing = [key for key in required if key not in table]
    if missing:
        raise BadInputError(f"[issue] {missing[0]} is missing", path=where)
    gazette = table.get("gazette")
    if gazette is not None and (not isinstance(gazette, str) or not gazette.strip()):
        raise BadInputError("[issue] gazette is missing or empty", path=where)
    publisher = table.get("publisher", "")
    if not isinstance(publisher, str):
        raise BadInputError("[issue] publisher must be a name", path=where)
    return IssueData(
        gazette=gazette.strip() if gazette else None,
        year=check_year(table["year"], "[issue] year", where) if "year" in table else None,
        number=check_count(table["number"], "[issue] number", where) if "number" in table else None,
        total=check_count(table["total"], "[issue] total", where) if "total" in table else None,
        date=check_date(table["date"], "[issue] date", where) if "date" in table else None,
        publisher=publisher.strip(),
    )


def read_issue_file(path: Path) -> IssueData:
    """An ``issue.toml`` beside scanned pages: an ``[issue]`` table and nothing else."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadInputError(f"cannot read the issue file: {error}", path=str(path)) from None
    other = sorted(set(data) - {"issue"})
    if other:
        raise BadInputError(f"unknown key {other[0]!r}: issue.toml holds an [issue] table only", path=str(path))
    table = data.get("issue")
    if not isinstance(table, dict):
        raise BadInputError("no [issue] table", path=str(path))
    return issue_from_table(table, str(path), required=("gazette", "year", "number"))


def issue_from_options(
    gazette: str | None, year: int | None, number: int | None, total: int | None = None, date: str | None = None
) -> IssueData | None:
    """The issue data given as ``--gazette --year --number [--total] [--date]``; None when none is given."""
    given = {"gazette": gazette, "year": year, "number": number, "total": total, "date": date}
    if all(value is None for value in given.values()):
        return None
    missing = [f"--{key}" for key in ("gazette", "year", "number") if given[key] is None]
    if missing:
        raise BadInputError(f"issue data needs --gazette, --year and --number together; {missing[0]} is missing")
    if not str(gazette).strip():
        raise BadInputError("--gazette is empty")
    return IssueData(
        gazette=str(gazette).strip(),
        year=check_year(year, "--year"),
        number=check_count(number, "--number"),
        total=None if total is None else check_count(total, "--total"),
        date=None if date is None else check_date(date, "--date"),
    )


def check_year(value: object, name: str, where: str | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise BadInputError(f"{name} must be a year from {FIRST_YEAR} to {LAST_YEAR}, not {value!r}", path=where)
    return value


def check_count(value: object, name: str, where: str | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise BadInputError(f"{name} must be a whole number of 1 or more, not {value!r}", path=where)
    return value


def check_date(value: object, name: str, where: str | None = None) -> str:
    """ISO date of a TOML date or a date as printed (``1996-03-20``, ``1996年3月20日``, ``一九九六年三月二十日``)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise BadInputError(f"{name} {value!r} is not a date (YYYY-MM-DD)", path=where)
    return parsed.iso


def settle(readings: Sequence[tuple[str, IssueData | None]]) -> tuple[IssueData, tuple[str, ...]]:
    """One issue's data from ``(where, data)`` readings in order of trust: each value from the first
    that gives it; one note per value two readings disagree on, naming both and the one kept."""
    settled = IssueData()
    notes = []
    given = [(where, data) for where, data in readings if data is not None]
    for key in (f.name for f in fields(IssueData)):
        values = [(where, getattr(data, key)) for where, data in given if getattr(data, key) not in (None, "")]
        if not values:
            continue
        kept_where, kept = values[0]
        settled = replace(settled, **{key: kept})
        for where, value in values[1:]:
            if value != kept and key != "publisher":
                notes.append(f"issue {key}: {kept} from {kept_where}, {value} from {where}; {kept} kept")
    return settled, tuple(notes)
