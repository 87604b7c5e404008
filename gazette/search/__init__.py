"""Full-text search of the archive: Chinese phrases, 文号 in any printed form, filters and facets.

`index_documents` keeps the indexes current (ingest calls it), `rebuild_index`
rebuilds one from the archive, and `search` answers a query. Backends (`whoosh`,
`tantivy`) sit behind `SearchBackend`; see docs/search.md for the query language.
"""

from gazette.search.backend import Hit, IndexDamagedError, IndexOutdatedError, SearchBackend, SearchResult, get_backend
from gazette.search.query import Filters, parse_query
from gazette.search.service import index_documents, rebuild_index, search, update_index

__all__ = [
    "Filters",
    "Hit",
    "IndexDamagedError",
    "IndexOutdatedError",
    "SearchBackend",
    "SearchResult",
    "get_backend",
    "index_documents",
    "parse_query",
    "rebuild_index",
    "search",
    "update_index",
]
