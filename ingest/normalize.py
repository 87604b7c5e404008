"""Text normalisation of extracted or recognised lines: spacing and punctuation in Chinese context."""

from __future__ import annotations

import re

from gazette.chars import HAN

#: Han characters, as a regex class body: CJK Unified Ideographs, Extension A and the
#: compatibility ideographs (old fonts and OCR emit those).
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’—…"
# A space between two Han characters (or Han and Chinese punctuation) is an artefact of
# extraction or typesetting, never a word boundary in Chinese. (A tab is not a space here:
# it separates the cells of a table row.)
_SPACE_IN_HAN = re.compile(rf"(?<=[{HAN}{_CJK_PUNCT}])[ \u3000\u00a0]+(?=[{HAN}{_CJK_PUNCT}])")
# Web pages, typists and OCR pad numbers inside Chinese text: 在 2018 年, 不低于 4%, 120 （扩招）.
_SPACE_AROUND_NUMBER = re.compile(
    rf"(?<=[{HAN}{_CJK_PUNCT}])[ \u00a0]+(?=[0-9])|(?<=[0-9%])[ \u00a0]+(?=[{HAN}{_CJK_PUNCT}])"
)


def remove_spaces_in_han_text(text: str) -> str:
    """'阳光政 务' → '阳光政务'; '在 2018 年' → '在2018年'; Latin words keep their spaces."""
    return _SPACE_AROUND_NUMBER.sub("", _SPACE_IN_HAN.sub("", text))
