"""Digits, numerals and field labels as printed in official documents and their OCR.

Shared by the 文号 and date rules. Normalising keeps every string's length, so a
match found in normalised text has the same span in the original.
"""

from __future__ import annotations

import re

#: Full-width digits and spaces, zero-width characters and no-break spaces become
#: their plain forms, one character for one, so spans stay valid.
_WIDTH_TABLE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "\u3000": " ",
        "\u00a0": " ",
        "\u200b": " ",
        "\ufeff": " ",
    }
)

#: Characters OCR and typists print in place of Arabic 0 and 1 (after `_WIDTH_TABLE`).
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "Ｏ": "0", "ｏ": "0", "〇": "0", "l": "1", "I": "1", "ｌ": "1", "Ｉ": "1"}
)

#: A regex class for one Arabic digit as printed (after `normalise_width`): a digit or a
#: look-alike of 0 or 1.
ARABIC_DIGIT = "[0-9OoＯｏ〇lIｌＩ]"

#: Every way a zero is printed in Chinese-numeral dates (〇 is the standard one).
CHINESE_ZEROS = "〇○零OoＯｏ0０"

_CHINESE_DIGIT_VALUES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_DIGIT_VALUES.update({zero: 0 for zero in CHINESE_ZEROS})

#: A regex class for one Chinese digit, as written digit by digit in years (二〇一六).
CHINESE_DIGIT = "[" + "".join(_CHINESE_DIGIT_VALUES) + "]"

#: A regex for a counted Chinese number up to 99 (三, 十, 十二, 二十, 三十一, 廿一, 卅).
CHINESE_COUNT = "(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[廿卅][一二三四五六七八九]?|[一二三四五六七八九])"


def normalise_width(text: str) -> str:
    """``text`` with full-width digits and odd spaces made plain; same length as ``text``."""
    return text.translate(_WIDTH_TABLE)


def arabic_value(printed: str) -> int:
    """The number printed in Arabic digits, reading O/o/〇 as 0 and l/I as 1; spaces ignored."""
    digits = normalise_width(printed).translate(_DIGIT_LOOKALIKES).replace(" ", "")
    if not digits.isdigit():
        raise ValueError(f"not an Arabic number: {printed!r}")
    return int(digits)


def chinese_digits_value(printed: str) -> int:
    """A number written digit by digit in Chinese numerals: 二〇一六 → 2016."""
    value = 0
    for char in printed:
        value = value * 10 + _CHINESE_DIGIT_VALUES[char]
    return value


def chinese_count_value(printed: str) -> int:
    """A counted Chinese number below 100: 十 → 10, 二十一 → 21, 廿三 → 23, 卅 → 30."""
    printed = printed.replace("廿", "二十").replace("卅", "三十")
    tens, ten, units = printed.partition("十")
    if not ten:
        return _CHINESE_DIGIT_VALUES[printed]
    return (_CHINESE_DIGIT_VALUES[tens] if tens else 1) * 10 + (_CHINESE_DIGIT_VALUES[units] if units else 0)


#: A value with an optional field label before it, as pages print them:
#: ``文号：…``, ``发文字号:…``, ``成文日期：…``.
_LABELLED_VALUE = re.compile(r"\s*(?:[^\d：:]*[：:])?\s*(?P<value>.*?)\s*", re.DOTALL)


def field_value_span(text: str) -> tuple[int, int]:
    """Where the value of ``text`` lies once a leading ``label：`` and outer whitespace are cut.

    Run it on `normalise_width` output, so zero-width and full-width spaces count as spaces;
    the span is valid in the original text too.
    """
    match = _LABELLED_VALUE.fullmatch(text)
    assert match is not None  # the pattern matches every string
    return match.start("value"), match.end("value")
