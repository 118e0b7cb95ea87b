"""Evaluation suite: gold Q&A for the demo corpus, metrics, reports, and MultiHop-RAG scoring."""

from .gold import load_gold, missing_evidence
from .metrics import exact_match, mrr_at_k, token_f1

__all__ = ["exact_match", "load_gold", "missing_evidence", "mrr_at_k", "token_f1"]
