"""Generators: local GGUF (xllamacpp), OpenAI-compatible server, extractive (no LLM)."""

from .base import Generator
from .llm import make_generator

__all__ = ["Generator", "make_generator"]
