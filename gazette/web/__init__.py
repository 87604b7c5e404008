"""The HTML edition: templates, the URL scheme and the page data shared by `gazette site` and the portal.

- `public`: the one rule of what may be public, legal status and interpretation links read from a document;
- `urls`: the URL scheme (``docs/urls.md``): where each page and file lives, on disk and on the web;
- `interpretations`: which documents interpret which (政策解读), named or found in titles;
- `pages`: the site's data (`SiteData`) and each page's data, from documents and issues;
- `render`: the Jinja2 environment (autoescaped) that turns page data into HTML;
- `feeds`, `catalogue`, `opendata`, `sitemap`: Atom feeds, the disclosure catalogue, open data, the sitemap;
- `site`: `gazette site`'s builder, which writes only what changed.
"""
