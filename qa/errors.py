"""Typed errors of the answering layer; their base, QAError, and the index layer's errors live in index/errors.py
(the lowest layer), and `qa` exports them all."""

from index import QAError


class InvalidQuestionError(QAError):
    """The question is empty, too long, or not valid text; or a filter given with it cannot be read."""


class LLMError(QAError):
    """The language model failed."""


class LLMUnavailableError(LLMError):
    """The LLM server cannot be reached, or the local model file cannot be loaded."""


class LLMTimeoutError(LLMError):
    """The LLM did not answer in time."""
