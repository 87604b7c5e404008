"""Running the portal: uvicorn over `create_app`, with N worker processes over the same index.

Logs (the access log included) go to stderr; the server writes nothing into the archive.
uvicorn stops gracefully on SIGINT/SIGTERM: it stops accepting, lets requests in flight
finish (at most `GRACE` seconds) and exits.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_ARCHIVE = "GAZETTE_SERVE_ARCHIVE"
_BACKEND = "GAZETTE_SERVE_BACKEND"
GRACE = 10


def app_from_environment() -> Any:
    """The application a worker process makes (uvicorn's ``factory``): the archive named by the parent."""
    from gazette.web.portal import create_app

    return create_app(Path(os.environ[_ARCHIVE]), backend=os.environ.get(_BACKEND) or None)


def log_config() -> dict[str, Any]:
    """uvicorn's logging with every handler on stderr (its default sends the access log to stdout)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {
        **LOGGING_CONFIG,
        "handlers": {
            name: {**handler, "stream": "ext://sys.stderr"} for name, handler in LOGGING_CONFIG["handlers"].items()
        },
    }
    config["loggers"] = {
        **LOGGING_CONFIG["loggers"],
        "gazette": {"handlers": ["default"], "level": "INFO", "propagate": False},
    }
    return config


def check_archive(root: Path, backend: str | None) -> None:
    """Open the archive once in this process, so that a wrong ``--archive`` fails before uvicorn starts,
    and so does a search index made by another version of gazette: the portal only reads the
    archive, so `gazette index` rebuilds that one (`IndexOutdatedError`)."""
    from gazette.archive import Archive
    from gazette.search.backend import IndexOutdatedError
    from gazette.search.service import open_backend

    index = open_backend(Archive.open_existing(root), backend)
    if reason := index.outdated():
        raise IndexOutdatedError(index.index_dir, reason)


def serve(
    root: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    backend: str | None = None,
    access_log: bool = True,
) -> None:
    import uvicorn

    root = Path(root).resolve()
    check_archive(root, backend)
    os.environ[_ARCHIVE] = str(root)
    if backend:
        os.environ[_BACKEND] = backend
    uvicorn.run(
        "gazette.web.serve:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=max(1, workers),
        log_config=log_config(),
        access_log=access_log,
        timeout_graceful_shutdown=GRACE,
        server_header=False,
        proxy_headers=False,
        limit_concurrency=1000,
        h11_max_incomplete_event_size=16 * 1024,
    )
