"""Notices that forward, approve or issue another document (转发/批转/印发): where what they carry begins.

Such a notice closes (署名 and 成文日期) under its own short text, and the document it carries
is printed after that date, often with a 署名 and a (later or earlier) date of its own:
国务院办公厅转发国家教委关于…请示的通知 closes 一九九六年七月十七日, then prints the request
closing 一九九六年五月十三日. The notice's date is the one above the carried title; the
carried text is the notice's attachment, never its closing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gazette.dates import is_date_shaped, parse_date
from ingest.contents import RESEMBLES, similarity
from ingest.layout import Paragraph
from ingest.preface import find_preface

# The title between the verb and the notice's own type: 国务院批转…的通知, 关于印发…的通知.
_CARRIES = re.compile(r"(?:转发|印发|批转)(?P<carried>.+?)(?:的)?(?:通知|决定|意见|函)$")
# A carried title as printed over its text: at most a few lines, none ending a sentence.
_MAX_TITLE_CHARS = 100
_MAX_TITLE_LINES = 4
_ENDS_TEXT = ("。", "；", "：", ":", "！", "？")


def carried_title(title: str) -> str | None:
    """The title a 转发/批转/印发 notice names as carried (国家教委关于…请示), or None for any other title."""
    found = _CARRIES.search(title)
    return found["carried"] if found else None


def names_carried(carried: str, title: str) -> bool:
    """Whether ``title`` is the carried one as printed over its own text, where the notice's
    wording (国家教委关于…请示) drops 的 or adds the carried document's issuer (…关于…的请示).
    A line quoting it in 《》 is the notice's text naming it, not its title."""
    return _resemblance(carried, title) >= RESEMBLES


def _resemblance(carried: str, title: str) -> float:
    if "《" in title or "》" in title:
        return 0.0
    about = carried.find("关于")
    forms = (carried, carried[about:]) if about > 0 else (carried,)
    return max(similarity(form, title) for form in forms)


def carried_start(paras: Sequence[Paragraph], start: int = 0) -> int | None:
    """Where the document that the notice beginning at ``start`` carries is printed: the line
    after the notice's preface that opens its title (alone or over a few lines, none of them
    a sentence's end or a date), or None. A line before the title that still resembles it
    with the title added (a date garbled under the seal) resembles it less than the title alone."""
    preface = find_preface(paras, start)
    carried = carried_title("".join(paras[i].text for i in preface.title))
    if carried is None:
        return None
    found = None
    for i in range(preface.end, len(paras)):
        score = _title_resemblance(paras, i, carried)
        if found is not None and score <= found[1]:
            return found[0]
        if found is not None or score >= RESEMBLES:
            found = (i, score)
    return found[0] if found else None


def _title_resemblance(paras: Sequence[Paragraph], at: int, carried: str) -> float:
    """How well the title opened at ``at`` (over up to a few lines) resembles the carried one."""
    title, best = "", 0.0
    for para in paras[at : at + _MAX_TITLE_LINES]:
        if para.text.endswith(_ENDS_TEXT) or parse_date(para.text) or is_date_shaped(para.text):
            break
        title += para.text
        if len(title) > _MAX_TITLE_CHARS:
            break
        best = max(best, _resemblance(carried, title))
    return best
