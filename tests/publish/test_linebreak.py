from publish.linebreak import (
    NO_END,
    NO_START,
    balanced_lines,
    break_lines,
    check_breaks,
    units,
)


def advance(text: str) -> float:
    """Full-width characters one unit, ASCII half."""
    return sum(0.5 if ord(char) < 128 else 1.0 for char in text)


def texts(text: str, width: float, first: float | None = None) -> list[str]:
    return [line.text for line in break_lines(text, advance, first if first is not None else width, width)]


def test_han_text_fills_lines_of_exactly_the_width() -> None:
    lines = texts("中" * 60, 28)
    assert [len(line) for line in lines] == [28, 28, 4]


def test_no_line_starts_with_a_closing_mark() -> None:
    text = "中" * 28 + "，后文"
    lines = texts(text, 28)
    assert not lines[1].startswith("，")
    assert len(lines[0]) == 27 and lines[1] == "中，后文"
    assert check_breaks(lines) == []


def test_no_line_ends_with_an_opening_mark() -> None:
    lines = texts("中" * 27 + "（括号）", 28)
    assert not lines[0].endswith("（")
    assert lines[1].startswith("（")


def test_a_run_of_closing_marks_moves_back_together() -> None:
    lines = texts("中" * 27 + "字。”" + "后", 28)
    assert lines[1][0] not in NO_START and lines[0][-1] not in NO_END
    assert "".join(lines) == "中" * 27 + "字。”后"


def test_ellipsis_and_dash_pairs_stay_whole() -> None:
    for pair in ("……", "——"):
        lines = texts("中" * 27 + pair + "后", 28)
        assert pair in "".join(lines) and not any(line.endswith(pair[0]) and not line.endswith(pair) for line in lines)
        assert not lines[1].startswith("…")


def test_numbers_and_latin_words_are_not_split() -> None:
    lines = texts("中" * 27 + "2019年", 28)
    assert lines[0].endswith("中") and lines[1].startswith("2019")
    assert units("APP、3.5%") == ["APP", "、", "3.5", "%"]


def test_first_line_is_narrower_by_the_indent() -> None:
    lines = texts("中" * 60, 28, first=26)
    assert [len(line) for line in lines] == [26, 28, 6]


def test_every_character_is_kept() -> None:
    text = "各地区、各部门要认真贯彻执行（具体见附件）。“五公开”……——2019年APP上线。" * 5
    assert "".join(texts(text, 28)) == text
    assert check_breaks(texts(text, 28)) == []


def test_titles_are_balanced_longer_line_first() -> None:
    lines = balanced_lines("国务院关于促进综合保税区高水平开放高质量发展的若干意见", advance, 20)
    assert len(lines) == 2
    assert abs(len(lines[0].text) - len(lines[1].text)) <= 2 and len(lines[0].text) >= len(lines[1].text)


def test_check_breaks_names_the_bad_line() -> None:
    assert check_breaks(["中文", "，开头"]) == ["line 2 starts with ，: ，开头"]
    assert check_breaks(["中文（", "后"]) == ["line 1 ends with （: 中文（"]
