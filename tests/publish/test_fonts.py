from pathlib import Path

import pytest

from gazette.exceptions import BadInputError
from publish.fonts import ROLES, FontSet, choose, load_fonts


def test_every_role_has_an_embeddable_truetype_font(fonts: FontSet) -> None:
    for role in ROLES:
        font = fonts.fonts[role]
        assert Path(font.path).is_file() and not font.path.endswith(".otf")
        assert fonts.width("中", role, 16) == pytest.approx(16, abs=0.5)


def test_fallback_is_said(fonts: FontSet) -> None:
    if all(font.origin != "fallback" for font in fonts.fonts.values()):
        pytest.skip("the office fonts are installed here")
    assert "仿宋" in fonts.fallback_note() or "fonts substituted" in fonts.fallback_note()


def test_a_missing_character_is_an_error_naming_it(fonts: FontSet) -> None:
    with pytest.raises(BadInputError, match=r"U\+1F600.*not in the 仿宋 font"):
        fonts.check("正文😀", "fangsong", "document X")
    fonts.check("正文，“引号”（括号）2019年", "fangsong", "document X")


def test_a_configured_font_is_used_and_a_missing_file_refused(fonts: FontSet, tmp_path: Path) -> None:
    configured = choose("kai", fonts.fonts["hei"].path + f"#{fonts.fonts['hei'].index}")
    assert configured.origin == "configured" and configured.path == fonts.fonts["hei"].path
    with pytest.raises(BadInputError, match="does not exist"):
        choose("fangsong", str(tmp_path / "仿宋_GB2312.ttf"))
    with pytest.raises(BadInputError, match="unknown font role"):
        load_fonts({"italic": "x.ttf"})


def test_a_cff_font_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "NotoSerifCJK.ttf"
    fake.write_bytes(b"OTTO" + bytes(200))
    with pytest.raises(BadInputError, match="TrueType outlines only"):
        load_fonts({"fangsong": str(fake)})
