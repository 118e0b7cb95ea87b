"""Question answering over articles with citations the system verifies.

>>> from qa import Assistant
>>> assistant = Assistant.load(".qa/index")                      # doctest: +SKIP
>>> answer = assistant.ask("Which companies run chip packaging in Vietnam?")  # doctest: +SKIP
"""

from index import Chunk, Document, IngestReport, ingest

from .assistant import Assistant
from .errors import (
    CorruptIndexError,
    DocumentError,
    IndexLockedError,
    IndexMismatchError,
    IndexNotFoundError,
    IngestError,
    InvalidQuestionError,
    LLMError,
    LLMTimeoutError,
    LLMUnavailableError,
    QAError,
)
from .markup import inert
from .records import Answer, Citation, Done, Event, Hit, PartAnswer, Retrieved, Token
from .retrieval import Filters
from .settings import Settings

__all__ = [
    "Answer",
    "Assistant",
    "Chunk",
    "Citation",
    "CorruptIndexError",
    "Document",
    "DocumentError",
    "Done",
    "Event",
    "Filters",
    "Hit",
    "IndexLockedError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IngestError",
    "IngestReport",
    "InvalidQuestionError",
    "LLMError",
    "LLMTimeoutError",
    "LLMUnavailableError",
    "PartAnswer",
    "QAError",
    "Retrieved",
    "Settings",
    "Token",
    "inert",
    "ingest",
]
