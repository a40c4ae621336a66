"""Where one piece of text holds several criteria, and how to tell them apart.

Two signs are trusted:

* list items run together where a line break was lost: a lower-case word followed,
  with no punctuation between, by a capitalised word that opens a criterion and then
  a lower-case word ("... child-centred learning experience Highly effective
  interpersonal skills Proven team working ...");
* sentences in one cell that open alike ("Hold GCSE English and Maths. Hold a
  Level 2 childcare qualification."): a list written as sentences.

Sentences that open differently stay one criterion written at length ("Registered
with the HCPC. Eligible for membership of ..."), and a sentence that speaks to the
applicant about the form ("You will find our values on our website") is a note: it is
dropped from the criterion it follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx

#: Words that open a criterion; one written straight after a lower-case word, with no
#: punctuation between, is where a line break between two list items was lost.
OPENERS = (
    "Ability", "Able", "Evidence", "Experience", "Knowledge", "Understanding", "Awareness", "Highly",
    "Proven", "Good", "Excellent", "Strong", "Effective", "Commitment", "Willingness", "Demonstrable",
    "Demonstrated", "Skills", "Skilled", "Competent", "Qualified", "Educated", "Degree", "Current",
    "Confident", "Flexible", "Enthusiastic", "Reliable", "Working", "Sound", "Basic", "Previous", "Hold",
    # "... courses To have worked ...", "... practices An understanding of ...", "... staff Inspire
    # trust ...": an infinitive, an article or a verb opening the next item of a list
    "To", "An", "Inspire", "Encourage", "Promote", "Maintain", "Establish",
)
#: the opener after a capitalised word ("... Midday Supervisor Experience of organising ...")
_PHRASE_OPENERS = ("Experience of", "Knowledge of", "Ability to", "Understanding of", "Awareness of")
RUN_TOGETHER = re.compile(
    r"\b[a-z][a-z'’)-]+ (?=(?:" + "|".join(OPENERS) + r")\b [a-z])"
    r"|\b[A-Z][a-z'’-]+ (?=(?:" + "|".join(_PHRASE_OPENERS) + r")\b)"
)
#: A sentence ends at ". " before a capital (not after "e.g." or a one-letter initial).
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\b[A-Za-z])([.!?])\s+(?=[\"'“‘(]?[A-Z])")
#: the shortest piece worth calling a criterion of its own
_MIN_WORDS = 3
#: sentences opening with these are statements ("We are brave. We do the right thing"),
#: not a list of criteria
_PRONOUNS = {"we", "our", "i", "you", "your", "they", "it", "this", "the"}


@dataclass(frozen=True)
class Piece:
    text: str
    #: how it was cut from the text around it: None (not cut), "run_together", "sentences"
    cut: str | None = None
    #: a few words either side of the cut, to show a manager where it was made
    near: str = ""


def sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        out.append(text[start: match.end(1)].strip())
        start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _first_word(text: str) -> str:
    words = text.split()
    return words[0].strip("\"'“‘(").lower() if words else ""


def _words(text: str) -> int:
    return len(text.split())


#: "... at all timesAbility to work ...", "... Level 2.Simple numeracy skills": a line break lost
#: between two items, the first ending in a lower-case word (or a full stop), the next opening
#: with a capital, no space between (not inside a word that opens with a capital: "StaffPlan")
def _glued(text: str) -> list[int]:
    cuts = []
    for i in range(2, len(text) - 1):
        if not (text[i].isupper() and text[i + 1].islower()):
            continue
        before = text[i - 1]
        if before == "." and (text[i - 2].islower() or text[i - 2].isdigit() or text[i - 2] == ")"):
            cuts.append(i)
            continue
        if not before.islower():
            continue
        word_start = i
        while word_start > 0 and not text[word_start - 1].isspace():
            word_start -= 1
        if i - word_start >= 3 and text[word_start].islower():
            cuts.append(i)
    return cuts
#: a text holds this many such joins before they are read as lost line breaks
_GLUED_JOINS = 2


def split_run_together(text: str) -> list[Piece]:
    cuts = [m.end() for m in RUN_TOGETHER.finditer(text)]
    glued = _glued(text)
    least = _MIN_WORDS
    if len(glued) >= _GLUED_JOINS:
        # the list's line breaks were lost: each join, and each sentence's end, is a break
        cuts = sorted(set(cuts) | set(glued) | {m.end(1) for m in _SENTENCE_END.finditer(text)})
        least = 2
    if not cuts:
        return [Piece(text)]
    bounds = [0, *cuts, len(text)]
    chunks = [text[a:b].strip() for a, b in zip(bounds, bounds[1:])]
    if any(_words(chunk) < least for chunk in chunks):
        return [Piece(text)]  # a piece too short to stand alone: leave the join as it is
    pieces = [Piece(chunks[0])]
    for at, chunk in zip(cuts, chunks[1:]):
        pieces.append(Piece(chunk, "run_together", text[max(0, at - 30): at + 30].strip()))
    return pieces


def without_notes(text: str) -> str:
    """The text without a closing note to the applicant ("You will find our values on our
    website"); what follows such a note is more of it."""
    parts = sentences(text)
    for index, part in enumerate(parts[1:], start=1):
        if lx.is_note(part):
            return " ".join(parts[:index])
    return text


def split_sentences(text: str) -> list[Piece]:
    """Sentences that open alike are criteria of their own."""
    parts = sentences(text)
    openers = [_first_word(p) for p in parts]
    alike = (
        len(parts) >= 2
        and len(set(openers)) == 1
        and openers[0] not in _PRONOUNS
        and all(_words(p) >= _MIN_WORDS for p in parts)
        and lx.opens_like_criterion(parts[0])
    )
    if not alike:
        return [Piece(text)]
    return [Piece(parts[0])] + [Piece(p, "sentences", p[:40]) for p in parts[1:]]


def split_criterion(text: str, statements: bool = False) -> list[Piece]:
    """The criteria one piece of text holds (usually just the one). ``statements``: the
    text is a value or behaviour statement, written in sentences that stay together."""
    text = without_notes(text)
    out: list[Piece] = []
    for piece in [Piece(text)] if statements else split_sentences(text):
        runs = split_run_together(piece.text)
        if piece.cut and runs:
            runs[0] = Piece(runs[0].text, piece.cut, piece.near)
        out.extend(runs)
    return out


#: In a flattened table, a capitalised word after a lower-case one with no punctuation between
#: starts the next criterion (not after "and", "of" ..., nor an acronym, nor a proper name of
#: two capitalised words: "Microsoft Office", "Google Sheet").
def flat_items(text: str) -> list[str]:
    """The criteria of one cell of a table flattened into a paragraph."""
    out: list[str] = []
    for sentence in sentences(text):
        words = sentence.split()
        current: list[str] = []
        for index, word in enumerate(words):
            if current and _starts_item(current[-1], word, words[index + 1] if index + 1 < len(words) else ""):
                out.append(" ".join(current))
                current = []
            current.append(word)
        if current:
            out.append(" ".join(current))
    return [item for item in out if item.strip()]


def _starts_item(previous: str, word: str, following: str) -> bool:
    bare = word.strip("\"'“‘(,")
    if (
        re.fullmatch(r"(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z]{1,4}", bare) and following and re.fullmatch(r"[a-z][a-z'’-]{2,}", previous)
        and previous not in lx.JOINERS and previous not in ("etc", "e.g", "i.e", "eg", "ie", "incl")
    ):
        return True  # an acronym: "... registration MB, ChB or equivalent", "... nursing BSc or equivalent"
    if not (bare[:1].isupper() and bare[1:2].islower()):
        return False  # not a capitalised word (an acronym, a number, lower case)
    if not following[:1].islower():
        return False  # "Microsoft Office", "Pangbourne College’s"
    if not previous[-1:].islower() or previous.lower() in lx.JOINERS:
        return False  # after "3", "etc.", a comma, "and", "of" ...
    if previous.isupper() and len(previous) > 1:
        return False  # "AAT or ACCA Qualified": an acronym's phrase
    if previous[:1].isupper():
        # within a run of capitalised words ("Child Protection and ...", "Microsoft Excel or ...")
        # only a word that opens criteria starts one ("... Safeguarding Policy Current driving licence")
        return lx.opens_like_criterion(bare)
    return True
