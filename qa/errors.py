"""Typed errors of the answering layer; their base, QAError, and the index layer's errors live in index/errors.py
(the lowest layer), and `qa` exports them all."""

from index import QAError


class InvalidQuestionError(QAError):
    """The question is empty, too long, or not valid text; or a filter given with it cannot be read."""


class FilterNotSupportedError(InvalidQuestionError):
    """A LlamaIndex metadata filter that qa.Filters (a date range, sources) cannot express exactly."""


class LLMError(QAError):
    """The language model failed."""


class LLMUnavailableError(LLMError):
    """The LLM server cannot be reached, or the local model file cannot be loaded."""


class LLMTimeoutError(LLMError):
    """The LLM did not answer in time."""


class BusyError(QAError):
    """Every answer slot is taken and the waiting line is full (HTTP 429); `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class QueueTimeoutError(BusyError):
    """A request waited its whole QA_API_QUEUE_TIMEOUT for an answer slot (HTTP 503)."""
