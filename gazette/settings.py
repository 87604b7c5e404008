"""Settings that stay with an archive: ``gazette.toml`` at its root, a tag file of the bag.

Every setting has a documented default (`SETTINGS`); an archive's ``gazette.toml`` sets
some of them, and a command's option wins over both for that command. `gazette config`
shows each setting in force and where it came from; `gazette config set KEY VALUE` (and
`gazette index --backend B`) writes the file. Unknown keys and wrong types in the file
are one-line errors naming the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import tomli_w

from gazette.exceptions import BadInputError
from gazette.fsutil import atomic_write

SETTINGS_FILE = "gazette.toml"

Origin = Literal["default", "gazette.toml", "option"]


@dataclass(frozen=True)
class Setting:
    """One setting: its dotted key (``section.name`` as in the TOML file), default and meaning."""

    key: str
    default: str | int
    help: str
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "search.backend",
        "whoosh",
        "search backend every command uses: whoosh (pure Python) or tantivy (large archives)",
        ("whoosh", "tantivy"),
    ),
    Setting(
        "archive.source_organization",
        "",
        "the organisation that keeps the archive, written to bag-info.txt as Source-Organization",
    ),
    # 2,000 pages: more than a bound annual volume of a gazette. 256 MiB: an A3 colour scan at
    # 600 dpi, the largest real stream, is about 199 MiB; a page's text a few hundred KiB.
    Setting(
        "ingest.max_pages", 2000, "pages (PDF pages, TIFF frames) one input file may have; a file with more is refused"
    ),
    Setting(
        "ingest.max_stream_mib",
        256,
        "MiB a single PDF stream may decompress to; a file with a larger one (a decompression bomb) is refused",
    ),
    Setting("publish.font_fangsong", "", "仿宋 font file for publishing (else the fallback font)"),
    Setting("publish.font_song", "", "宋体/小标宋 font file for publishing"),
    Setting("publish.font_hei", "", "黑体 font file for publishing"),
    Setting("publish.font_kai", "", "楷体 font file for publishing"),
)
_BY_KEY = {setting.key: setting for setting in SETTINGS}


def default(key: str) -> str | int:
    return _BY_KEY[key].default


@dataclass(frozen=True)
class Value:
    setting: Setting
    value: str | int
    origin: Origin


def read_settings(archive_root: Path) -> dict[str, Value]:
    """Every setting with its value and origin, for the archive at ``archive_root``."""
    stored = _read_file(archive_root / SETTINGS_FILE)
    return {
        setting.key: Value(setting, stored[setting.key], "gazette.toml")
        if setting.key in stored
        else Value(setting, setting.default, "default")
        for setting in SETTINGS
    }


def setting(archive_root: Path, key: str, option: str | int | None = None) -> str | int:
    """The value in force for ``key``: the command's ``option`` when given, else the archive's, else the default."""
    if option is not None:
        return check(key, option)
    return read_settings(archive_root)[key].value


def write_setting(archive_root: Path, key: str, value: str | int) -> None:
    """Set ``key`` in the archive's ``gazette.toml`` (made when missing), keeping the rest of it."""
    path = archive_root / SETTINGS_FILE
    stored = _read_file(path)
    stored[key] = check(key, value)
    tree: dict[str, dict[str, Any]] = {}
    for name, item in sorted(stored.items()):
        section, _, field = name.partition(".")
        tree.setdefault(section, {})[field] = item
    atomic_write(path, tomli_w.dumps(tree).encode("utf-8"))


def check(key: str, value: str | int) -> str | int:
    """``value`` converted to the setting's type; BadInputError naming the key when it does not fit."""
    if key not in _BY_KEY:
        known = ", ".join(_BY_KEY)
        raise BadInputError(f"unknown setting {key!r}; the settings are {known}")
    setting = _BY_KEY[key]
    if isinstance(setting.default, int):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise BadInputError(f"setting {key} takes a whole number, not {value!r}") from None
        if number < 1:
            raise BadInputError(f"setting {key} must be 1 or more, not {number}")
        return number
    text = str(value)
    if setting.choices and text not in setting.choices:
        raise BadInputError(f"setting {key} is one of {', '.join(setting.choices)}, not {text!r}")
    return text


def _read_file(path: Path) -> dict[str, str | int]:
    """``{dotted key: value}`` from a settings file; an empty dict when there is none."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadInputError(f"cannot read the archive's settings ({error})", path=str(path)) from None
    flat: dict[str, str | int] = {}
    for section, fields in data.items():
        if not isinstance(fields, dict):
            raise BadInputError(f"{section!r} must be a [section] table", path=str(path))
        for field, value in fields.items():
            key = f"{section}.{field}"
            try:
                flat[key] = check(key, value)
            except BadInputError as error:
                raise BadInputError(str(error), path=str(path)) from None
    return flat
