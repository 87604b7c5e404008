"""Fonts by role: 仿宋 (body), 小标宋/宋体 (titles, page numbers), 黑体 (level-1 headings), 楷体.

Each role is looked up in order:

1. a file named for it in a configuration (``[fonts]`` of ISSUE.toml, or the archive's
   ``publish.font_fangsong`` / ``font_song`` / ``font_hei`` / ``font_kai`` settings),
   ``path`` or ``path#index`` for a font collection;
2. fontconfig (``fc-list``), by the family names offices install (仿宋_GB2312, FangSong,
   方正小标宋简体, SimHei, 楷体_GB2312, KaiTi …);
3. the fallback: the TrueType CJK fonts ``make`` installs from Debian —
   AR PL UMing CN (``fonts-arphic-uming``) for 仿宋 and 宋体, WenQuanYi Zen Hei
   (``fonts-wqy-zenhei``) for 黑体, AR PL UKai CN (``fonts-arphic-ukai``), else LXGW
   WenKai (``fonts-lxgw-wenkai``) for 楷体. Debian has no free simplified 仿宋: a
   document set with a fallback says so in its PDF's metadata (`FontSet.fallback_note`).

reportlab embeds TrueType outlines only: a CFF/OpenType font (Noto CJK, Source Han) is
refused with a one-line error naming it. A character missing from its font is an error
naming the character and the font (`FontSet.check`), never an empty box in the PDF.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from gazette.exceptions import BadInputError, MissingDependencyError

Role = Literal["fangsong", "song", "hei", "kai"]
ROLES: tuple[Role, ...] = ("fangsong", "song", "hei", "kai")
ROLE_NAMES: dict[Role, str] = {"fangsong": "仿宋", "song": "宋体", "hei": "黑体", "kai": "楷体"}

#: Families fontconfig is asked for, best first (the fonts offices install).
FAMILIES: dict[Role, tuple[str, ...]] = {
    "fangsong": ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "华文仿宋"),
    "song": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "宋体", "SimSun", "STSong", "华文宋体"),
    "hei": ("黑体", "SimHei", "方正黑体_GBK", "STHeiti", "华文黑体"),
    "kai": ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "华文楷体"),
}
#: Debian's TrueType CJK fonts, used when none of the above is installed.
FALLBACKS: dict[Role, tuple[str, ...]] = {
    "fangsong": ("AR PL UMing CN",),
    "song": ("AR PL UMing CN",),
    "hei": ("WenQuanYi Zen Hei",),
    "kai": ("AR PL UKai CN", "LXGW WenKai"),
}
# Where Debian puts them, for machines without fontconfig's command line.
_KNOWN_FILES: dict[str, tuple[str, int]] = {
    "AR PL UMing CN": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "AR PL UKai CN": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "WenQuanYi Zen Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "LXGW WenKai": ("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0),
}
#: The Debian packages that hold the fallbacks (the Makefile installs them).
DEBIAN_PACKAGES = ("fonts-arphic-uming", "fonts-arphic-ukai", "fonts-wqy-zenhei", "fonts-lxgw-wenkai")

Origin = Literal["configured", "fontconfig", "fallback"]


@dataclass(frozen=True)
class FontChoice:
    """The font chosen for a role: its file, which face of a collection, and how it was found."""

    role: Role
    path: str
    index: int
    family: str
    origin: Origin

    @property
    def name(self) -> str:
        """The name the font is registered under in reportlab (stable: the same bytes every run).
        Roles set in the same face share it, so the PDF holds one set of subsets per face and
        no two embedded subsets carry the same name."""
        digest = hashlib.sha256(f"{self.path}#{self.index}".encode()).hexdigest()[:12]
        return f"gz-{digest}"

    def describe(self) -> str:
        where = f"{self.path}#{self.index}" if self.index else self.path
        return f"{ROLE_NAMES[self.role]}: {self.family} ({where}, {self.origin})"


@dataclass(frozen=True)
class FontSet:
    """One font per role, registered with reportlab."""

    fonts: Mapping[Role, FontChoice]
    _faces: Mapping[Role, TTFont] = field(default_factory=dict, repr=False, compare=False)

    def name(self, role: Role) -> str:
        return self.fonts[role].name

    def width(self, text: str, role: Role, size: float) -> float:
        return pdfmetrics.stringWidth(text, self.fonts[role].name, size)

    def missing(self, text: str, role: Role) -> list[str]:
        face = self._faces[role].face
        return sorted({char for char in text if char >= " " and ord(char) not in face.charToGlyph})

    def check(self, text: str, role: Role, where: str) -> None:
        """BadInputError naming the first character of ``text`` that ``role``'s font lacks."""
        missing = self.missing(text, role)
        if missing:
            char = missing[0]
            font = self.fonts[role]
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise BadInputError(
                f"character {char!r} (U+{ord(char):04X}){more} is not in the {ROLE_NAMES[role]} font"
                f" {font.family} ({font.path}); configure a font that has it ([fonts] {role} = FILE)",
                path=where,
            )

    def fallback_note(self) -> str:
        """What the PDF's metadata says about fonts that are not the ones the standard names."""
        fallbacks = [self.fonts[role] for role in ROLES if self.fonts[role].origin == "fallback"]
        if not fallbacks:
            return ""
        return "fonts substituted: " + "; ".join(f"{ROLE_NAMES[font.role]} set in {font.family}" for font in fallbacks)


def load_fonts(configured: Mapping[str, str] | None = None) -> FontSet:
    """Choose and register a font for every role; ``configured`` maps roles to font files."""
    configured = {key: value for key, value in (configured or {}).items() if value}
    unknown = sorted(set(configured) - set(ROLES))
    if unknown:
        raise BadInputError(f"unknown font role {unknown[0]!r}; the roles are {', '.join(ROLES)}")
    chosen = {role: choose(role, configured.get(role)) for role in ROLES}
    faces = {role: _register(font) for role, font in chosen.items()}
    return FontSet(chosen, faces)


def choose(role: Role, configured: str | None = None) -> FontChoice:
    if configured:
        path, _, index = configured.partition("#")
        if not Path(path).is_file():
            raise BadInputError(f"the {ROLE_NAMES[role]} font file does not exist", path=path)
        return FontChoice(role, path, int(index or 0), Path(path).stem, "configured")
    for family in FAMILIES[role]:
        found = _fontconfig(family)
        if found is not None:
            return FontChoice(role, found[0], found[1], family, "fontconfig")
    for family in FALLBACKS[role]:
        found = _fontconfig(family) or _known_file(family)
        if found is not None:
            return FontChoice(role, found[0], found[1], family, "fallback")
    raise MissingDependencyError(
        f"no {ROLE_NAMES[role]} font: configure one ([fonts] {role} = FILE) or install "
        + " ".join(DEBIAN_PACKAGES)
        + " (make system-deps)"
    )


@cache
def _fontconfig(family: str) -> tuple[str, int] | None:
    """The TrueType file and face index fontconfig holds for exactly this family, if any."""
    if shutil.which("fc-list") is None:
        return None
    result = subprocess.run(
        ["fc-list", "--format", "%{file}\t%{index}\t%{fontformat}\n", f":family={family}"],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in sorted(result.stdout.splitlines()):
        path, _, rest = line.partition("\t")
        index, _, fmt = rest.partition("\t")
        if fmt == "TrueType" and _is_truetype(path):
            return path, int(index or 0)
    return None


def _known_file(family: str) -> tuple[str, int] | None:
    path, index = _KNOWN_FILES.get(family, ("", 0))
    return (path, index) if path and Path(path).is_file() else None


def _is_truetype(path: str) -> bool:
    """True for TrueType outlines (glyf); CFF fonts (.otf, Noto CJK .ttc) are not embeddable here."""
    return not path.lower().endswith(".otf")


@cache
def _register_cached(name: str, path: str, index: int) -> TTFont:
    try:
        font = TTFont(name, path, subfontIndex=index, asciiReadable=False)
    except TTFError as error:
        raise BadInputError(
            f"cannot embed this font ({error}); reportlab embeds TrueType outlines only, not CFF/OpenType", path=path
        ) from None
    except OSError as error:
        raise BadInputError(f"cannot read the font: {error.strerror}", path=path) from None
    pdfmetrics.registerFont(font)
    return font


def _register(font: FontChoice) -> TTFont:
    return _register_cached(font.name, font.path, font.index)
