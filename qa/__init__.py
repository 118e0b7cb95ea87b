"""Question answering over articles with citations the system verifies.

>>> from qa import Assistant
>>> assistant = Assistant.load(".qa/index")                      # doctest: +SKIP
>>> answer = assistant.ask("Which companies run chip packaging in Vietnam?")  # doctest: +SKIP
"""

from index import (
    Chunk,
    CorruptIndexError,
    Document,
    DocumentError,
    IndexLockedError,
    IndexMismatchError,
    IndexNotFoundError,
    IndexSettings,
    IngestError,
    IngestReport,
    QAError,
    StoreUnavailableError,
    ingest,
)

from .assistant import Assistant
from .attribution import Claim, check_citation
from .errors import FilterNotSupportedError, InvalidQuestionError, LLMError, LLMTimeoutError, LLMUnavailableError
from .info import CorpusInfo, corpus_info, example_questions
from .live import LiveAssistant
from .markup import inert
from .records import Answer, Citation, Done, Event, Hit, PartAnswer, Retrieved, Token
from .retrieval import Filters
from .settings import AnswerSettings, APISettings, LLMSettings, RetrievalSettings, Settings, UISettings
from .short import INSUFFICIENT, conflict
from .text import kind_of
from .web import Guard, allowed_hosts, loopback

__all__ = [
    "APISettings",
    "Answer",
    "AnswerSettings",
    "Assistant",
    "Chunk",
    "Citation",
    "Claim",
    "CorpusInfo",
    "CorruptIndexError",
    "Document",
    "DocumentError",
    "Done",
    "Event",
    "FilterNotSupportedError",
    "Filters",
    "Guard",
    "Hit",
    "INSUFFICIENT",
    "IndexLockedError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IndexSettings",
    "IngestError",
    "IngestReport",
    "InvalidQuestionError",
    "LLMError",
    "LLMSettings",
    "LLMTimeoutError",
    "LLMUnavailableError",
    "LiveAssistant",
    "PartAnswer",
    "QAError",
    "RetrievalSettings",
    "Retrieved",
    "Settings",
    "StoreUnavailableError",
    "Token",
    "UISettings",
    "allowed_hosts",
    "check_citation",
    "conflict",
    "corpus_info",
    "example_questions",
    "inert",
    "ingest",
    "kind_of",
    "loopback",
]
