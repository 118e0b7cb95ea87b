"""Typed errors of the index layer; qa/ re-exports them. str(error) is shown to the user."""


class QAError(Exception):
    """Base class of every error this project raises on purpose; the CLI and the UI show str(ex)."""


class IndexNotFoundError(QAError):
    """No index at the configured path."""


class CorruptIndexError(QAError):
    """An index file is missing, truncated or unreadable."""


class IndexMismatchError(QAError):
    """The index was built with another embedding model, dimension or chunking."""


class StoreUnavailableError(QAError):
    """The index's store (a Milvus server or Lite file) cannot be reached or refused a request."""


class IndexLockedError(QAError):
    """Another process is writing the index."""


class DocumentError(QAError):
    """An input file cannot be read as an article (empty, binary, not UTF-8, unknown type)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path!r}: {reason}")
        self.path = path
        self.reason = reason


class IngestError(QAError):
    """Ingestion stopped before writing anything; the previous index is untouched."""
