"""Typed errors of the answering layer. The index layer's errors are re-exported from here too."""

from index import (
    CorruptIndexError,
    DocumentError,
    IndexLockedError,
    IndexMismatchError,
    IndexNotFoundError,
    IngestError,
    QAError,
)

__all__ = [
    "CorruptIndexError",
    "DocumentError",
    "IndexLockedError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IngestError",
    "InvalidQuestionError",
    "LLMError",
    "LLMTimeoutError",
    "LLMUnavailableError",
    "QAError",
]


class InvalidQuestionError(QAError):
    """The question is empty, too long, or not valid text; or a filter given with it cannot be read."""


class LLMError(QAError):
    """The language model failed."""


class LLMUnavailableError(LLMError):
    """The LLM server cannot be reached, or the local model file cannot be loaded."""


class LLMTimeoutError(LLMError):
    """The LLM did not answer in time."""
