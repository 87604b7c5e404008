"""The portal's JSON API described as OpenAPI 3.1 (served at ``/api/openapi.json``)."""

from __future__ import annotations

from typing import Any

_PARAMS = [
    (
        "q",
        (
            'The query, in `gazette search`\'s language: words, "phrases", a 文号 in any printed form, '
            "fields 文号: 机关: 类型: 年份: 日期:, -exclusions, OR."
        ),
    ),
    ("issuer", "Only documents of this issuing body (full name or a common short name)."),
    ("type", "Only documents of this type (and its family: 函 includes 复函)."),
    ("from", "成文日期 from: YYYY, YYYY-MM or YYYY-MM-DD."),
    ("to", "成文日期 to: YYYY, YYYY-MM or YYYY-MM-DD."),
    ("gazette", "Only documents printed in this gazette."),
    ("sort", "relevance, date (oldest first) or -date (newest first); default: the query's own order."),
]
_ERROR = {
    "description": "An error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gazette")
    except PackageNotFoundError:
        return "0"


def _parameters() -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": text,
            "schema": {"type": "string", "maxLength": 500},
        }
        for name, text in _PARAMS
    ]
    params.append(
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Page of 10 hits, from 1.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
        }
    )
    return params


def openapi_document(server: str) -> dict[str, Any]:
    hit = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "score": {"type": "number"},
            "title": {"type": "string"},
            "doc_number": {"type": ["string", "null"]},
            "date_written": {"type": ["string", "null"], "format": "date"},
            "issuer": {"type": "array", "items": {"type": "string"}},
            "snippet": {"type": "string", "description": "HTML: matches in <mark>, everything else escaped."},
            "url": {"type": "string", "format": "uri"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "政府公报 API",
            "version": _version(),
            "description": "Read-only access to the gazette's public documents: search, documents, issues. "
            "Every HTML page of the portal also has a JSON twin (…/index.json).",
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search public documents (the shape of `gazette search --json`).",
                    "parameters": _parameters(),
                    "responses": {
                        "200": {
                            "description": "One page of hits, the total and facet counts.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}},
                        },
                        "400": _ERROR,
                        "404": _ERROR,
                        "503": _ERROR,
                    },
                }
            },
            "/api/documents/{id}": {
                "get": {
                    "summary": "A public document: metadata, legal status, body, links to its PDF, XML and page images.",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "The document (the JSON twin of its page).",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "404": _ERROR,
                    },
                }
            },
            "/api/issues/{id}": {
                "get": {
                    "summary": "An issue of a gazette and its public contents by section.",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "The issue (the JSON twin of its page).",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "404": _ERROR,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "SearchResult": {
                    "type": "object",
                    "required": ["total", "hits", "facets"],
                    "properties": {
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "pages": {"type": "integer"},
                        "hits": {"type": "array", "items": hit},
                        "facets": {
                            "type": "object",
                            "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}},
                        },
                        "query": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                },
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
                        }
                    },
                },
            }
        },
    }
