"""HTML from page data: one Jinja2 environment, autoescaped, with the URL scheme's links."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from gazette.web import urls
from gazette.web.body import body_parts
from gazette.web.metadata import dublin_core, legislation, script_json
from gazette.web.pages import Page, SiteData, issue_label
from gazette.web.public import disclosure_label


def chinese_date(iso: str | None) -> str:
    """``2016-12-12`` → ``2016年12月12日``; anything else as it is."""
    if not iso:
        return ""
    parts = iso.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    return iso


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gazette.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cn_date"] = chinese_date
    env.filters["issue_label"] = issue_label
    env.globals["urls"] = urls
    env.globals["body_parts"] = body_parts
    env.globals["dublin_core"] = dublin_core
    env.globals["ld_json"] = lambda doc, data: Markup(script_json(legislation(doc, data)))
    env.globals["href"] = _href
    env.globals["disclosure_label"] = disclosure_label
    return env


@jinja2.pass_context
def _href(context: jinja2.runtime.Context, there: str) -> str:
    """A relative link from the page being rendered to the site path ``there``."""
    return urls.href(context["here"], there)


def render_page(page: Page, data: SiteData) -> bytes:
    template = environment().get_template(page.template)
    context: Mapping[str, Any] = {"here": page.path, "data": data, "site_name": data.site_name, **page.context}
    return template.render(context).encode("utf-8")


def twin_bytes(page: Page) -> bytes:
    """A page's JSON twin: sorted keys, Chinese as it is, compact, a final newline: the same bytes every build."""
    return (json.dumps(page.twin, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
