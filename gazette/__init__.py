"""gazette: digitise, search and publish government gazettes (政府公报) as Akoma Ntoso.

The Python API, which the `gazette` command is built on (docs/api.md)::

    import gazette

    archive = gazette.Archive.create("my-archive")      # or gazette.Archive.open(path)
    report = archive.ingest(["scans/"])                   # documents stored and indexed
    archive.get("国办函〔1996〕14号")                      # a Document, by id or 文号 as printed
    archive.search('"阳光政务"', issuer="广东省人民政府办公厅")
    for doc in archive.documents(): ...
"""

from importlib.metadata import PackageNotFoundError, version

from gazette.archive import Archive
from gazette.exceptions import ExitCode, GazetteError
from gazette.model import Block, Document, GazetteRef, Issue, Provenance, Source

try:
    __version__ = version("gazette")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Archive",
    "Block",
    "Document",
    "ExitCode",
    "GazetteError",
    "GazetteRef",
    "Issue",
    "Provenance",
    "Source",
    "__version__",
]
