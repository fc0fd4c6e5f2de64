"""The module engine: markdown files in, validated and rendered modules out."""

from .catalog import Catalog, Snapshot
from .model import PLAN_PARTS, Module, Option, ParseResult, Problem, Prompt, Question, Section
from .parser import parse_file, parse_text

__all__ = [
    "PLAN_PARTS", "Catalog", "Module", "Option", "ParseResult", "Problem", "Prompt", "Question",
    "Section", "Snapshot", "parse_file", "parse_text",
]
