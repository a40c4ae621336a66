"""How sure the importer is of each criterion it proposes, and why not.

Each doubt has a code, a message a manager can act on, and a weight; a criterion's
confidence is one less its doubts' weights. Doubts about reading (text run together,
a wrapped line on its own, a very long "criterion") are told apart from the importer's
policy where a document is silent (no method, no Essential/Desirable mark): a document
whose criteria are often doubtful *as read* is flagged as read with low confidence, so
the review says so at the top instead of presenting a tidy-looking wrong list.
"""

from __future__ import annotations


from .model import Doubt, ProposedCriterion
from .pieces import RUN_TOGETHER, sentences

#: longer than this, a "criterion" is usually several run together
LONG_TEXT = 260
#: a document is read with low confidence when this share of its criteria have reading doubts
LOW_CONFIDENCE_SHARE = 0.3



def reading_doubts(text: str) -> list[Doubt]:
    doubts: list[Doubt] = []
    join = RUN_TOGETHER.search(text)
    if join:
        at = join.end()
        shown = text[max(0, at - 30): at + 30].strip()
        doubts.append(Doubt(
            "run_together",
            f"It may be several criteria run together where a line break was lost (\u201c\u2026{shown}\u2026\u201d): "
            "split it if so.",
            0.35))
    elif len(text) > LONG_TEXT:
        doubts.append(Doubt(
            "long_text",
            f"It is unusually long ({len(text)} characters): check it is one criterion, not several.",
            0.3))
    if len(sentences(text)) >= 3:
        doubts.append(Doubt(
            "several_sentences", "It holds several sentences: check it is one criterion.", 0.15))
    first = next((ch for ch in text if ch.isalpha()), "")
    if first.islower() and len(text.split()) <= 4:
        doubts.append(Doubt(
            "fragment", "It is very short and starts in lower case: it may be the end of the criterion "
            "before it.", 0.3))
    return doubts


def split_doubt(cut: str, near: str) -> Doubt:
    """The criterion was cut from the text around it (see pieces.py)."""
    if cut == "flattened":
        return Doubt(
            "flattened",
            "Read from a table run into one paragraph: where this criterion starts and ends, and which "
            "column it stood in, are the importer's guess. Check it against the document.",
            0.3)
    if cut == "side_by_side":
        return Doubt(
            "side_by_side",
            "Read from text where the Essential and Desirable columns stood side by side: a line may hold "
            "part of each column, and which column it stood in is the importer's guess. Check it against "
            "the document.",
            0.3)
    if cut == "run_together":
        return Doubt(
            "split_run_together",
            f"Read as a criterion of its own where the document ran list items together (\u201c\u2026{near}\u2026\u201d): "
            "check where it was split.",
            0.3)
    return Doubt(
        "split_sentences",
        "The document gives it in one cell with the criterion before it, as a sentence that opens alike: "
        "it was read as a criterion of its own.",
        0.1)


def methods_doubt(methods: tuple[str, ...]) -> Doubt:
    shown = ", ".join(methods)
    return Doubt("methods_inferred",
                 f"The document gives no method of assessment for it: {shown} were proposed, not read.", 0.15)


def essential_doubt() -> Doubt:
    return Doubt("essential_assumed",
                 "The document does not mark it Essential or Desirable: essential was proposed.", 0.15)


def category_doubt(category: str) -> Doubt:
    return Doubt("category_guessed",
                 f"The document gives it no category: \u201c{category}\u201d was guessed from its wording.", 0.05)


def low_confidence(criteria: tuple[ProposedCriterion, ...] | list[ProposedCriterion]) -> bool:
    if not criteria:
        return False
    doubtful = sum(1 for c in criteria if any(d.reading for d in c.doubts))
    return doubtful / len(criteria) >= LOW_CONFIDENCE_SHARE


def low_confidence_warning(criteria: tuple[ProposedCriterion, ...] | list[ProposedCriterion]) -> str:
    doubtful = sum(1 for c in criteria if any(d.reading for d in c.doubts))
    return (
        f"This document was read with low confidence: {doubtful} of the {len(criteria)} proposed criteria "
        "may have been read wrongly (text run together, cut short or unusually long). Check each criterion "
        "against the document before saving; the doubtful ones are listed first, with the line they were "
        "read from."
    )
