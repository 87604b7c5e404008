"""Names of issuing bodies as people shorten them (广东省政府办公厅, 国办), as data and one rule.

`gazette/data/issuer_aliases.tsv` lists names that stand for one body; beside it one
rule covers every local government: ``X省政府`` is ``X省人民政府`` (市, 区, 县, 州, 盟,
旗 too) and the other way round, and ``X省府``/``X市府`` (how signatures print it:
省府办公厅) is ``X省人民政府``. Names are compared in simplified characters without
spaces; the search index folds them further.

Joint issuers (联合行文) have one rule here too: `title_issuers` reads the issuers a title
names before 关于/转发/印发/对/联合 (``国务院办公厅、中央军委办公厅关于…``) or a decree's or
announcement's heading names (``广东省人民政府令``); `split_issuers` turns a signature line,
red header or title part into a list, the lead issuer first. Names printed side by side
whose space was lost (``国务院中央军委``) are split only where every piece is a known issuer:
an unknown run of characters is kept whole, never guessed apart.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from gazette.chars import HAN
from gazette.docnumber import issuer_codes
from gazette.simplified import to_simplified

# A place's government: the character that ends the place name, then 政府 or 人民政府.
# Only these place endings: 政府 after anything else (国务院, 中央政府) is not a 人民政府.
_PLACE_END = "省市区县州盟旗"
# A place name comes first: 省政府办公厅 alone could be any province's.
_SHORT = re.compile(rf"(?<=\w[{_PLACE_END}])政府")
_FULL = re.compile(rf"(?<=\w[{_PLACE_END}])人民政府")
_SIGNATURE = re.compile(r"(?<=\w[省市])府(?=办公厅|$)")
# How a body's name ends (院, 厅, 部, 委…): a title's or signature's words that do not are no issuer.
_ORGANISATION_END = re.compile(r"(?:院|厅|部|委|局|府|会|室|办|署|行|司|处|政府|委员会|公司|中心|指挥部|小组)$")
# Words that end the issuers at the start of a title: 国务院办公厅关于…, …转发…, …对…的答复, A、B联合印发….
_TITLE_ISSUERS = re.compile(r"^(?P<issuers>.+?)(?:联合|关于|转发|印发|对)")
# A decree or announcement names its issuer in its heading: 广东省人民政府令, 国家药监局公告.
_NUMBERED_HEADING = re.compile(r"^(?P<issuers>(?:(?!关于).)+?)(?:令|公告)$")
_SEPARATORS = re.compile(r"[\s、，,]+")
_NOT_NAME = re.compile(f"[^{HAN}（）()]")
_MAX_FUSED = 4  # names fused into one run are split into at most this many


def normalise_name(name: str) -> str:
    """A name as this module compares it: simplified characters, no spaces."""
    return re.sub(r"\s+", "", to_simplified(name))


def issuer_names(name: str) -> tuple[str, ...]:
    """Every name ``name`` may stand for, itself first: its alias group, and each of those with
    the 人民政府 rule applied both ways. '广东省政府办公厅' → ('广东省政府办公厅', '广东省人民政府办公厅')."""
    typed = normalise_name(name)
    names: dict[str, None] = {}
    for alias in (typed, *_rule_forms(typed)):
        for member in (alias, *_alias_groups().get(alias, ())):
            names.update(dict.fromkeys((member, *_rule_forms(member))))
    return tuple(names)


def _rule_forms(name: str) -> tuple[str, ...]:
    """The other forms of a local government's name by the general rule (none for others)."""
    full = _SIGNATURE.sub("人民政府", _SHORT.sub("人民政府", _FULL.sub("政府", name)))
    # (人民政府 first became 政府 so that it does not become 人民人民政府)
    short = _FULL.sub("政府", full)
    return tuple(form for form in dict.fromkeys((full, short)) if form != name)


def known_issuers() -> frozenset[str]:
    """Every full name of the issuer-code and alias tables (what a typo is compared with)."""
    from_codes = {row.issuer for row in issuer_codes()}
    return frozenset(from_codes | {full for full, _ in _alias_rows()})


def is_known_issuer(name: str) -> bool:
    """Whether the tables know ``name`` or a name it stands for (an alias, a short form)."""
    known = known_issuers() | {alias for _, alias in _alias_rows()}
    return any(form in known for form in issuer_names(name))


@cache
def _alias_rows() -> tuple[tuple[str, str], ...]:
    """``(full name, alias)`` rows of the alias table."""
    table = resources.files("gazette").joinpath("data", "issuer_aliases.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line.strip() and not line.startswith("#"))
    return tuple((normalise_name(full), normalise_name(alias)) for alias, full in rows)


@cache
def _alias_groups() -> dict[str, tuple[str, ...]]:
    """Each name of the alias table → every name of its body (the rows joined where they share a name)."""
    groups: dict[str, set[str]] = {}
    for full, alias in _alias_rows():
        group = groups.get(full, {full}) | groups.get(alias, {alias})
        for member in group:
            groups[member] = group
    return {name: tuple(sorted(group - {name})) for name, group in groups.items()}


def is_organisation(name: str) -> bool:
    """Whether ``name`` ends as a body's name does (院, 厅, 部, 委员会…)."""
    return bool(name) and _ORGANISATION_END.search(name) is not None


def split_issuers(text: str) -> tuple[str, ...]:
    """The names in ``text`` (a signature line, a row of names side by side, a title's issuer part),
    in order: split at 、，, spaces and tabs, and a run of known names printed without a space
    between them (国务院办公厅中央军委办公厅) into those names."""
    names = (_NOT_NAME.sub("", part) for part in _SEPARATORS.split(text))
    return tuple(piece for name in names if name for piece in _unfused(name))


def title_issuers(title: str) -> tuple[str, ...]:
    """The issuers a title names at its start (lead issuer first), or () when it names none:
    ``国务院、中央军委关于…`` → ('国务院', '中央军委'); ``A、B联合印发…`` → (A, B); ``广东省人民政府令`` →
    ('广东省人民政府',). Every name must end as a body's name does."""
    match = _TITLE_ISSUERS.match(title) or _NUMBERED_HEADING.match(title)
    if match is None:
        return ()
    names = split_issuers(match["issuers"])
    return names if names and all(is_organisation(name) for name in names) else ()


def _unfused(name: str) -> tuple[str, ...]:
    """``name`` split into known issuers when it is several of them run together, else itself."""
    if is_known_issuer(name):
        return (name,)
    return _known_run(name, _MAX_FUSED) or (name,)


def _known_run(text: str, most: int) -> tuple[str, ...] | None:
    """``text`` as a sequence of at most ``most`` known issuers (longest first name first), or None."""
    if is_known_issuer(text):
        return (text,)
    if most <= 1:
        return None
    for cut in range(len(text) - 1, 1, -1):
        head = text[:cut]
        if is_organisation(head) and is_known_issuer(head):
            rest = _known_run(text[cut:], most - 1)
            if rest is not None:
                return (head, *rest)
    return None
