"""Words, marks and small recognisers shared by the layout parser."""

from __future__ import annotations

import re

# --- method-of-assessment codes ---------------------------------------------

#: Codes understood when a document has no legend of its own.
DEFAULT_CODES: dict[str, str] = {
    "AF": "AF", "A": "AF", "APP": "AF", "AP": "AF", "AFS": "AF",
    "Q": "Q", "QU": "Q", "QUAL": "Q",
    "I": "I", "INT": "I", "IV": "I",
    "P": "P", "PR": "P", "PRES": "P",
    "E": "E", "EX": "E", "WBE": "E",
    "T": "T", "TE": "T", "ST": "T",
    "R": "R", "REF": "R", "REFS": "R",
}

#: Words naming a method, by canonical code.
_METHOD_WORDS: dict[str, str] = {
    "application": "AF", "applications": "AF", "cv": "AF",
    "interview": "I", "interviews": "I", "interviewed": "I",
    "presentation": "P", "presentations": "P",
    "exercise": "E", "exercises": "E", "in-tray": "E", "intray": "E", "roleplay": "E",
    "role-play": "E", "observation": "E",
    "qualification": "Q", "qualifications": "Q", "certificate": "Q", "certificates": "Q",
    "certification": "Q", "certificated": "Q",
    "test": "T", "tests": "T", "testing": "T", "tested": "T", "psychometric": "T",
    "reference": "R", "references": "R", "referee": "R", "referees": "R",
}

#: Words that may stand beside method words ("Application form", "Work based exercise").
_METHOD_FILLER = {
    "form", "forms", "and", "or", "based", "work", "work-based", "written", "practical",
    "at", "by", "the", "of", "skills", "skill", "selection", "assessment", "centre",
    "center", "play", "role", "in", "tray", "supporting", "statement", "online",
    "evidence", "check", "checks", "documents", "panel", "with", "a", "an", "verbal",
    "technical", "job", "specific", "personal", "on", "day",
}

TICKS = {
    "✓", "✔", "☑", "☒", "√", "x", "X", "yes", "Yes", "YES", "y", "Y", "●", "■", "*",
    "🗸", "✅", "\uf0fc", "\uf0fe"}
NOT_TICKS = {"no", "No", "NO", "n", "N", "-", "–", "—", "✗", "✘", "☐", "□", "n/a", "N/A", "o"}


def is_tick(cell: str) -> bool:
    return cell.strip() in TICKS


def is_not_tick(cell: str) -> bool:
    return cell.strip() in NOT_TICKS


_CODE_SPLIT = re.compile(r"(?:\s*[/,;&+|.\\]\s*|\s+and\s+|\s+or\s+|\s+)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def method_from_meaning(meaning: str) -> str | None:
    """Map a legend meaning ("Work Based Exercise") to a canonical code."""
    words = [w.lower() for w in _WORD.findall(meaning)]
    found = [_METHOD_WORDS[w] for w in words if w in _METHOD_WORDS]
    if not found:
        if "assessment" in words and "centre" in words:
            return "E"
        return None
    # "Skills test" -> T; "Application form" -> AF; the last method word wins
    # only when the first is a generic filler, so take the first.
    return found[0]


def parse_methods(cell: str, codes: dict[str, str], loose: bool = False) -> set[str] | None:
    """Return the methods named by a whole cell, or None if it is not a method cell.

    Accepts "AF/I/P", "A.I", "A, I, R", "Application form / Interview", "AF & I".
    """
    s = cell.strip().strip("()[]{}").strip()
    if not s or len(s) > 80:
        return None
    has_lower = any(ch.islower() for ch in s)
    found: set[str] = set()
    if has_lower:
        words = _WORD.findall(s)
        if not words:
            return None
        rest = _WORD.sub(" ", s)
        if rest.strip(" /,;&+|.-–()\t"):
            return None
        if len(words) == 1 and not loose:
            # "Interview" or "Qualifications" alone is more often a heading.
            return None
        for word in words:
            low = word.lower()
            if low in _METHOD_WORDS:
                found.add(_METHOD_WORDS[low])
            elif low in _METHOD_FILLER:
                continue
            elif word in codes:
                found.add(codes[word])
            else:
                return None
        return found or None
    tokens = [t for t in _CODE_SPLIT.split(s) if t]
    if not tokens:
        return None
    for token in tokens:
        token = token.strip("()[]-–")
        if not token:
            continue
        code = codes.get(token)
        if code is None:
            low = token.lower()
            if low in _METHOD_WORDS and (loose or len(tokens) > 1):
                code = _METHOD_WORDS[low]
            else:
                return None
        found.add(code)
    return found or None


# --- legends ------------------------------------------------------------------

_LEGEND_PAIR = re.compile(
    r"(?<![A-Za-z.])([A-Z]{1,4})\s*(=|:|–|-)\s*([A-Za-z][A-Za-z' /\-]{1,40}?)\s*"
    r"(?=[;,.\t)]|$|(?<=\s)[A-Z]{1,4}\s*(?:=|:|–|-)\s)"
)


def parse_legend(line: str) -> tuple[dict[str, str], dict[str, str]] | None:
    """Parse a key such as "AF = Application Form; I = Interview".

    Returns (method codes, mark codes) where mark codes map letters to
    "essential", "desirable" or "shortlisting"; None when the line is no legend.
    """
    if len(line) > 400 or ("=" not in line and ":" not in line and "–" not in line):
        return None
    methods: dict[str, str] = {}
    marks: dict[str, str] = {}
    equals = 0
    for match in _LEGEND_PAIR.finditer(line):
        code, sep, meaning = match.group(1), match.group(2), match.group(3).strip()
        low = meaning.lower()
        if low.startswith("essential"):
            marks[code] = "essential"
        elif low.startswith("desirable"):
            marks[code] = "desirable"
        elif low.startswith("shortlist"):
            marks[code] = "shortlisting"
        else:
            method = method_from_meaning(meaning)
            if method is None:
                continue
            methods[code] = method
        if sep == "=":
            equals += 1
    total = len(methods) + len(marks)
    if total >= 2 or (total == 1 and equals == 1 and len(line) <= 60):
        return methods, marks
    return None


# --- bullets, sentences, openings --------------------------------------------

BULLET = re.compile(
    r"^\s*(?:[•·▪◦●○■□➢➤►‣⁃∙⦁\uf0b7\uf0a7\uf0d8\uf076\uf0fc]\s*|[-*–—]\s+|o\s+(?=[A-Z])"
    r"|\(?\d{1,2}[.)]\s+|\(\d{1,2}\)\s+|[a-h][.)]\s+(?=[A-Z])|\([a-h]\)\s+|\(?[ivx]{1,4}\)\s+)"
)


def strip_bullet(text: str) -> tuple[str, bool]:
    match = BULLET.match(text)
    if match and match.end() < len(text):
        return text[match.end():].strip(), True
    return text.strip(), False


_CLOSERS = "\"'”’)]»"


def ends_sentence(text: str) -> bool:
    t = text.rstrip().rstrip(_CLOSERS)
    return bool(t) and t[-1] in ".!?"


def first_letter_case(text: str) -> str:
    """'lower', 'upper' or 'other' for the first meaningful character."""
    t = text.lstrip("\"'“‘ ")
    if not t:
        return "other"
    ch = t[0]
    if ch.islower():
        return "lower"
    if ch.isupper():
        return "upper"
    if ch in "(&,;)/":
        return "lower"
    return "other"


JOINERS = {
    "and", "or", "of", "the", "a", "an", "to", "in", "with", "for", "on", "by", "as",
    "at", "from", "into", "including", "such", "within", "across", "between", "their",
    "its", "your", "our", "other", "both", "either", "e.g.", "i.e.", "that", "which",
    "who", "whom", "is", "are", "be", "have", "has", "using", "via", "through", "about",
    "relevant", "&", "/", "-", "–", "all", "any", "this", "these", "those", "than", "not",
    "nor", "but", "over", "under", "per",
}


def ends_with_joiner(text: str) -> bool:
    t = text.rstrip()
    if not t:
        return False
    if t[-1] in ",;&/-–(":
        return True
    last = t.split()[-1].lower()
    return last in JOINERS


OPENINGS = {
    "experience", "experienced", "ability", "able", "knowledge", "knowledgeable",
    "understanding", "awareness", "aware", "skill", "skills", "skilled", "evidence",
    "evidenced", "demonstrable", "demonstrated", "demonstratable", "proven", "excellent",
    "good", "strong", "sound", "effective", "commitment", "committed", "a", "an",
    "willing", "willingness", "qualified", "qualification", "qualifications", "educated",
    "education", "degree", "relevant", "registered", "registration", "membership",
    "member", "eligible", "current", "full", "minimum", "have", "has", "can", "must",
    "competence", "competent", "proficient", "proficiency", "confident", "confidence",
    "familiarity", "familiar", "working", "track", "capacity", "capable", "flexible",
    "flexibility", "resilience", "resilient", "passion", "passionate", "enthusiasm",
    "enthusiastic", "satisfactory", "valid", "driving", "extensive", "significant",
    "previous", "prior", "practical", "thorough", "in-depth", "detailed", "advanced",
    "self-motivated", "empathy", "empathetic", "positive", "professional", "to",
    "leadership", "highly", "high", "outstanding", "possession", "possess", "hold",
    "holds", "holding", "successful", "we", "uk", "fluent", "fluency", "right",
    "recognised", "post-qualification", "post", "well", "demonstrates", "demonstrate",
    "experience,", "strengths-based", "use", "used",
}


def opens_like_criterion(text: str) -> bool:
    t = text.lstrip("\"'“‘ ")
    if not t or not t[0].isupper():
        return False
    word = t.split()[0].lower().rstrip(",:;")
    return word in OPENINGS


# --- headings -------------------------------------------------------------------

CATEGORY_VOCAB = {
    "qualifications", "qualification", "education", "educational", "training",
    "experience", "knowledge", "skills", "skill", "abilities", "ability", "aptitude",
    "aptitudes", "behaviours", "behaviour", "behaviors", "behavior", "values", "personal",
    "qualities", "attributes", "attribute", "circumstances", "physical", "equality",
    "diversity", "equalities", "general", "special", "other", "additional", "requirements",
    "requirement", "competencies", "competences", "competency", "professional",
    "technical", "work", "related", "work-related", "communication", "leadership",
    "management", "understanding", "safeguarding", "disposition", "interests",
    "registration", "specific", "practical", "intellectual", "interpersonal", "health",
    "attitude", "attitudes", "motivation", "style", "approach", "expertise",
    "achievements", "characteristics", "job", "role", "core", "key", "essential",
    "desirable", "criteria", "knowledge,", "occupational", "relationships",
}
SMALL_WORDS = {"and", "&", "/", "of", "the", "or", "for", "in", "to"}
ACRONYMS = {"IT", "ICT", "DBS", "HR", "NHS", "UK", "GDPR", "CPD", "HCPC", "SEN", "SEND"}

HEADER_WORDS = {
    "criteria", "criterion", "requirements", "requirement", "essential/desirable",
    "e/d", "method of assessment", "methods of assessment", "how assessed",
    "assessed by", "how identified", "how it will be assessed", "how tested",
    "method of assessment (m.o.a)", "m.o.a", "moa", "assessment method",
    "assessment methods", "identified by", "measured by", "specification",
    "person specification criteria", "attributes", "selection criteria",
}

ED_HEADING = re.compile(
    r"^(essential|desirable)(?:\s+(?:criteria|requirements|attributes|skills|qualities))?\s*:?$",
    re.I,
)
ED_PREFIX = re.compile(r"^(essential|desirable)\s*[:\-–]\s+(?=\S)", re.I)

_ANNOTATION = re.compile(r"\s*[\(\[]([^()\[\]]{0,60})[\)\]]\s*$")


def split_annotation(text: str) -> tuple[str, str]:
    """'Skills (To Be Tested – T)' -> ('Skills', 'To Be Tested – T')."""
    match = _ANNOTATION.search(text)
    if match and match.start() > 0:
        return text[: match.start()].strip(), match.group(1).strip()
    return text.strip(), ""


def _title_case(words: list[str]) -> bool:
    seen = False
    for word in words:
        core = word.strip("()[],:;'\"")
        if not core:
            continue
        if core.lower() in {"and", "&", "/", "the", "or"}:
            continue
        if not core[0].isupper():
            return False
        seen = True
    return seen


def heading_text(text: str) -> tuple[str, str] | None:
    """If ``text`` reads as a category heading, return (name, annotation)."""
    t = text.strip()
    if not t or len(t) > 90:
        return None
    t = t.rstrip(":").strip()
    core, annotation = split_annotation(t)
    core = core.rstrip(":–- ").strip()
    if not core or core[-1] in ".!?;,":
        return None
    if any(ch.isdigit() for ch in core) or ":" in core:
        return None
    letters = [ch for ch in core if ch.isalpha()]
    if len(letters) < 3:
        return None
    words = core.split()
    if core.upper() == core:
        if len(words) <= 8:
            return core, annotation
        return None
    if len(words) > 6 or re.search(r"\s[-–]\s", core):
        return None
    low = [w.lower().strip("()[],:;") for w in words]
    low = [w for w in low if w]
    if low and all(w in CATEGORY_VOCAB or w in SMALL_WORDS for w in low) and any(
        w in CATEGORY_VOCAB for w in low
    ):
        if low[0] in SMALL_WORDS:
            return None
        return core, annotation
    if len(words) <= 4 and _title_case(words):
        return core, annotation
    return None


def sentence_case(text: str) -> str:
    words = text.split()
    out: list[str] = []
    for index, word in enumerate(words):
        bare = word.strip("()[],:;")
        if bare.upper() in ACRONYMS and bare.upper() == bare:
            out.append(word)
        elif index == 0:
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word.lower())
    return " ".join(out)


def category_name(text: str) -> str:
    """Normalise a heading for use as a category name."""
    name = re.sub(r"\s+", " ", text).strip().rstrip(":").strip()
    if name and name.upper() == name and any(ch.isalpha() for ch in name):
        return sentence_case(name)
    return name


# --- notes: lines about the form rather than about the candidate ---------------

NOTE = re.compile(
    r"(\bused\b.{0,40}\bshortlisting\b|tick as appropriate|^note\b|^notes?\s*:|^please\b"
    r"|^(?:generally,?\s+)?(?:candidates|applicants)\b|^the following\b|^this person specification\b"
    r"|^the person specification\b|^key\s*:|^(?:if|where) you\b|^those (?:categories|criteria)\b"
    r"|^you (?:will|should|must)\b|^all (?:candidates|applicants)\b|^criteria marked\b"
    r"|^\(?(?:e|d|s)\s*=\s*)",
    re.I,
)


def is_note(text: str) -> bool:
    return bool(NOTE.search(text.strip()))


PERSON_SPEC = re.compile(r"^\W*person\s+spec(?:ification)?\b", re.I)

DBS_HEADING = re.compile(
    r"^\W*(?:dbs|disclosure and barring|criminal records?|crb|safeguarding check)\b", re.I
)

CULTURE_INTRO = re.compile(r"^(?:our values enable|our culture|a culture that|culture)\b|\bculture that is\b", re.I)

CRIMINAL_RECORD = re.compile(
    r"\b(?:dbs|crb|criminal records?|disclosure and barring|police check)\b", re.I
)

PAGE_DEBRIS = re.compile(
    r"^(?:page\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*(?:of|/)\s*\d+|[-–—]?\s*\d{1,3}\s*[-–—]?|"
    r"\[?\s*page\s+break\s*\]?)$",
    re.I,
)

CONTINUED = re.compile(
    r"\s*[\(\[]?\s*\b(?:continued|cont(?:'|’)?d\.?|cont\.)\s*[\)\]]?\s*$", re.I
)
