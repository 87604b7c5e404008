"""Types of official documents (公文种类, GB/T 9704 and the 党政机关公文处理工作条例), as data.

The type of a document is read from the end of its title (…的通知 → 通知); the Akoma
Ntoso ``<doc name>`` is the English name beside it.
"""

from __future__ import annotations

# Chinese type → Akoma Ntoso doc name. Longer types first where one ends another (批复/复函 before 函).
DOC_TYPES: dict[str, str] = {
    "命令": "order",
    "决议": "resolution",
    "决定": "decision",
    "公报": "communique",
    "公告": "announcement",
    "通告": "circular",
    "意见": "opinion",
    "通知": "notice",
    "通报": "bulletin",
    "报告": "report",
    "请示": "request",
    "批复": "reply",
    "复函": "reply-letter",
    "议案": "motion",
    "纪要": "minutes",
    "答复": "answer",
    "办法": "measures",
    "规定": "provisions",
    "条例": "regulation",
    "细则": "rules",
    "方案": "plan",
    "规划": "programme",
    "函": "letter",
    "令": "order",
}

AKN_DOC_NAME_FALLBACK = "document"

# What searching for a type also finds: a 复函 is a 函 (a letter in reply), and 命令 and 令
# are one type (命令（令）in the 条例) that titles end either way. Types whose titles end in
# a longer name of the same type (实施意见, 补充通知) are read as the short one already.
DOC_TYPE_FAMILIES: dict[str, tuple[str, ...]] = {
    "函": ("复函",),
    "命令": ("令",),
    "令": ("命令",),
}

# A trailing qualifier adds nothing to the type (…暂行办法（试行）).
_QUALIFIERS = ("（试行）", "（暂行）", "(试行)", "(暂行)")


def doc_type_from_title(title: str) -> str | None:
    """The document type its title ends with, or None: '国务院关于…的通知' → '通知'."""
    stripped = title.strip().rstrip("。")
    for tail in _QUALIFIERS:
        stripped = stripped.removesuffix(tail)
    for doc_type in sorted(DOC_TYPES, key=len, reverse=True):
        if stripped.endswith(doc_type):
            return doc_type
    return None


def akn_doc_name(doc_type: str | None) -> str:
    """The Akoma Ntoso ``<doc name>`` for a Chinese document type."""
    return DOC_TYPES.get(doc_type or "", AKN_DOC_NAME_FALLBACK)


def doc_types_within(doc_type: str) -> tuple[str, ...]:
    """The type and those a search for it includes: '函' → ('函', '复函'); '通知' → ('通知',)."""
    return (doc_type, *DOC_TYPE_FAMILIES.get(doc_type, ()))
