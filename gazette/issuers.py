"""Names of issuing bodies as people shorten them (广东省政府办公厅, 国办), as data and one rule.

`gazette/data/issuer_aliases.tsv` lists names that stand for one body; beside it one
rule covers every local government: ``X省政府`` is ``X省人民政府`` (市, 区, 县, 州, 盟,
旗 too) and the other way round, and ``X省府``/``X市府`` (how signatures print it:
省府办公厅) is ``X省人民政府``. Names are compared in simplified characters without
spaces; the search index folds them further.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from gazette.docnumber import issuer_codes
from gazette.simplified import to_simplified

# A place's government: the character that ends the place name, then 政府 or 人民政府.
# Only these place endings: 政府 after anything else (国务院, 中央政府) is not a 人民政府.
_PLACE_END = "省市区县州盟旗"
# A place name comes first: 省政府办公厅 alone could be any province's.
_SHORT = re.compile(rf"(?<=\w[{_PLACE_END}])政府")
_FULL = re.compile(rf"(?<=\w[{_PLACE_END}])人民政府")
_SIGNATURE = re.compile(r"(?<=\w[省市])府(?=办公厅|$)")


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
