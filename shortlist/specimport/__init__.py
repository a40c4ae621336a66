"""Person-specification importer.

Reads a person specification (Word .docx, PDF, or text) and proposes criteria
and vacancy facts for a recruiting manager to review. Pure Python: no web or
database imports.

    >>> from shortlist.specimport import import_text
    >>> proposal = import_text("EXPERIENCE\\nExperience of casework (E)\\tAF/I\\n")
    >>> proposal.criteria[0].methods
    ('AF', 'I')
"""

from __future__ import annotations

from .api import import_spec, import_text
from .model import METHOD_ORDER, READING_DOUBTS, Proposal, ProposedCriterion, SpecImportError

__all__ = [
    "METHOD_ORDER",
    "READING_DOUBTS",
    "Proposal",
    "ProposedCriterion",
    "SpecImportError",
    "import_spec",
    "import_text",
]
