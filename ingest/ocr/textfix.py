"""Post-OCR repairs of a recognised line in Chinese context; each keeps low-confidence marks aligned.

Recognisers trained on mixed text return about 40% of （）：，； half-width, read 〇 as ○,
O or even （, and 〕 as ]. Every substitution here replaces one character by one character;
spaces are removed with an index map, so the low-confidence indices stay valid.
"""

from __future__ import annotations

import re

from gazette.chars import HAN, HAN_CHARACTER

_CHINESE_DIGITS = "〇一二三四五六七八九十"
_ZERO_LOOKALIKES = "○OoΟ0０◯"
# A run of Chinese numerals before 年/月/日 (二○一六年); 零 stays, it is a word, and a run
# without any Chinese numeral (2000年) is Arabic.
_NUMERAL_RUN = re.compile(f"[{_CHINESE_DIGITS}{_ZERO_LOOKALIKES}]{{2,}}(?=[年月日])")
# 〇 read as an opening bracket inside such a run (二（〇四年): never a bracket there.
_BRACKET_FOR_ZERO = re.compile(f"(?<=[{_CHINESE_DIGITS}])（(?=[{_CHINESE_DIGITS}{_ZERO_LOOKALIKES}]+[年月日])")
# 文号 whose brackets came out as a mixed pair: 国发〔2019]3号, 国发[2019〕3号 (or the line ends there).
_DOC_NUMBER_BRACKETS = re.compile(f"(?<=[{HAN}])([\\[［【〔])(\\s*\\d{{4}}\\s*)([\\]］】〕])(?=\\s*\\d+\\s*号|\\s*$)")
_ALWAYS_FULL = {"(": "（", ")": "）", ";": "；", "!": "！", "?": "？"}
# Between digits ``,`` and ``:`` are thousands and clock separators: 1,000 and 10:30.
_BETWEEN_DIGITS = {",": "，", ":": "："}
# A page number's dashes read as 一 or hyphens: — 12 —.
_FOLIO = re.compile(r"^\s*[-—–－一~]+\s*([0-9]{1,4})\s*[-—–－一~]+\s*$")
_SPACES = " \t\u3000\u00a0"
_PUNCT = "，。、；：？！（）“”‘’《》〔〕【】…—·"


def _full_width_punctuation(text: str) -> str:
    chars = list(text)
    for i, char in enumerate(chars):
        if char in _ALWAYS_FULL:
            chars[i] = _ALWAYS_FULL[char]
        elif char in _BETWEEN_DIGITS:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if not (before.isdigit() and after.isdigit()):
                chars[i] = _BETWEEN_DIGITS[char]
    return "".join(chars)


def _chinese_zero(match: re.Match[str]) -> str:
    run = match.group(0)
    if not any(char in _CHINESE_DIGITS for char in run):
        return run
    return "".join("〇" if char in _ZERO_LOOKALIKES else char for char in run)


def _hexagonal_brackets(match: re.Match[str]) -> str:
    opening, year, closing = match.groups()
    if "〔" not in opening + closing:
        return match.group(0)  # [2013] printed square on both sides is the printed form: keep it
    return f"〔{year}〕"


def _drop_spaces(text: str, marks: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
    """Spaces next to Han characters or Chinese punctuation go; indices of the rest are remapped."""
    kept: list[int] = []
    for i, char in enumerate(text):
        if char in _SPACES:
            before = text[:i].rstrip(_SPACES)[-1:]
            after = text[i + 1 :].lstrip(_SPACES)[:1]
            if not before or not after or _is_chinese(before) or _is_chinese(after):
                continue
        kept.append(i)
    new_index = {old: new for new, old in enumerate(kept)}
    return "".join(text[i] for i in kept), tuple(new_index[i] for i in marks if i in new_index)


def _is_chinese(char: str) -> bool:
    return bool(HAN_CHARACTER.match(char)) or char in _PUNCT


def fix_line(text: str, low_confidence: tuple[int, ...] = ()) -> tuple[str, tuple[int, ...]]:
    """The repaired line and its low-confidence indices; lines without Han text are left alone."""
    folio = _FOLIO.match(text)
    if folio:
        return f"— {folio.group(1)} —", ()
    if not HAN_CHARACTER.search(text):
        return text, low_confidence
    text, low_confidence = _drop_spaces(text, low_confidence)
    text = _full_width_punctuation(text)
    text = _NUMERAL_RUN.sub(_chinese_zero, _BRACKET_FOR_ZERO.sub("〇", text))
    text = _DOC_NUMBER_BRACKETS.sub(_hexagonal_brackets, text)
    return text, low_confidence
