"""Words, marks and small recognisers shared by the layout parser."""

from __future__ import annotations

import re

# --- method-of-assessment codes ---------------------------------------------

#: Codes understood when a document has no legend of its own.
DEFAULT_CODES: dict[str, str] = {
    "AF": "AF", "A": "AF", "APP": "AF", "AP": "AF", "AFS": "AF",
    "Q": "Q", "QU": "Q", "QUAL": "Q", "C": "Q", "CERT": "Q",  # certificates seen
    "I": "I", "INT": "I", "IV": "I",
    "P": "P", "PR": "P", "PRES": "P",
    "E": "E", "EX": "E", "WBE": "E", "O": "E", "OBS": "E",  # a lesson or task observed
    "T": "T", "TE": "T", "ST": "T",
    "R": "R", "REF": "R", "REFS": "R",
}

#: Words naming a method, by canonical code.
_METHOD_WORDS: dict[str, str] = {
    "application": "AF", "applications": "AF", "cv": "AF",
    "interview": "I", "interviews": "I", "interviewed": "I",
    "presentation": "P", "presentations": "P",
    "exercise": "E", "exercises": "E", "in-tray": "E", "intray": "E", "roleplay": "E",
    "role-play": "E", "observation": "E", "observations": "E", "observed": "E",
    "shortlisting": "AF", "shortlist": "AF", "task": "E", "tasks": "E", "simulation": "E",
    "scenario": "E", "scenarios": "E", "scenario-based": "E", "assessment": "E", "assessments": "E",
    "statement": "AF", "documentation": "Q",
    # Welsh, as bilingual forms write them ("Ffurflen gais / Application form")
    "ffurflen": "AF", "cais": "AF", "cyfweliad": "I", "geirda": "R", "prawf": "T", "cyflwyniad": "P",
    "tystysgrif": "Q", "tystysgrifau": "Q", "cymwysterau": "Q", "ymarfer": "E",
    "portfolio": "E", "assessment-centre": "E",
    "qualification": "Q", "qualifications": "Q", "certificate": "Q", "certificates": "Q",
    "certification": "Q", "certificated": "Q",
    "test": "T", "tests": "T", "testing": "T", "tested": "T", "psychometric": "T",
    "reference": "R", "references": "R", "referee": "R", "referees": "R",
    # "Selection procedure" (the interview day), "Application and visual check" (certificates seen)
    "procedure": "I", "visual": "Q",
    # "Application & Pre-Employment checks": registration and certificates checked before appointment
    "pre-employment": "Q", "preemployment": "Q",
}

#: Words that may stand beside method words ("Application form", "Work based exercise").
_METHOD_FILLER = {
    "form", "forms", "and", "or", "based", "work", "work-based", "written", "practical",
    "at", "by", "the", "of", "skills", "skill", "selection", "assessment", "centre",
    "center", "play", "role", "in", "tray", "supporting", "statement", "online",
    "evidence", "check", "checks", "documents", "panel", "with", "a", "an", "verbal",
    "technical", "job", "specific", "personal", "on", "day", "gais", "neu", "ac", "questions",
}

TICKS = {
    "✓", "✔", "☑", "☒", "√", "x", "X", "yes", "Yes", "YES", "y", "Y", "●", "■", "*",
    "🗸", "✅", "\uf0fc", "\uf0fe"}
NOT_TICKS = {"no", "No", "NO", "n", "N", "-", "–", "—", "✗", "✘", "☐", "□", "n/a", "N/A", "o",
             "\uf0fb", "\uf0a8", "\uf06f"}


def is_tick(cell: str) -> bool:
    return cell.strip() in TICKS


def is_not_tick(cell: str) -> bool:
    return cell.strip() in NOT_TICKS


_COMPOUNDS = (
    (re.compile(r"\brole[\s-]*plays?\b", re.I), "roleplay"),
    (re.compile(r"\bin[\s-]*tray\b", re.I), "intray"),
)


def _compounds(text: str) -> str:
    for pattern, word in _COMPOUNDS:
        text = pattern.sub(word, text)
    return text


_CODE_SPLIT = re.compile(r"(?:\s*[/,;&+|.\\]\s*|\s+and\s+|\s+or\s+|\s+)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def method_from_meaning(meaning: str) -> str | None:
    """Map a legend meaning ("Work Based Exercise") to a canonical code."""
    words = [w.lower() for w in _WORD.findall(_compounds(meaning))]
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
    if s.lower() == "both":
        # a "How identified: Interview | Application form | Both" column
        return {"AF", "I"}
    s = _compounds(s)
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


def method_word(word: str) -> bool:
    """A word that names a method ("Interview", "Application", "References")."""
    return word.lower().strip(",.;:()/") in _METHOD_WORDS


def method_filler(word: str) -> bool:
    """A word that stands beside method words ("form", "by", "exercise"), or a slash."""
    bare = word.lower().strip(",.;:()/")
    return bare in _METHOD_FILLER or bare in ("/", "&", "") or bare in _METHOD_WORDS


# --- legends ------------------------------------------------------------------

_LEGEND_PAIR = re.compile(
    r"(?<![A-Za-z.])([A-Z]{1,4})\s*(=|:|–|-)\s*([A-Za-z][A-Za-z' /\-]{1,60}?)\s*"
    r"(?=[;,.\t)]|$|(?<=\s)[A-Z]{1,4}\s*(?:=|:|–|-)\s)"
)


#: "Application (A), Interview (I), References (R)": the meaning first, the code in brackets.
_LEGEND_PAIR_REVERSED = re.compile(
    r"(?<![A-Za-z])([A-Za-z][A-Za-z' \-]{1,40}?)\s*[\(\[]\s*([A-Z]{1,4})\s*[\)\]]"
)


def _legend_meaning(code: str, meaning: str, methods: dict[str, str], marks: dict[str, str]) -> bool:
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
            return False
        methods[code] = method
    return True


def parse_legend(line: str) -> tuple[dict[str, str], dict[str, str]] | None:
    """Parse a key such as "AF = Application Form; I = Interview".

    Returns (method codes, mark codes) where mark codes map letters to
    "essential", "desirable" or "shortlisting"; None when the line is no legend.
    """
    if len(line) > 400 or not any(mark in line for mark in ("=", ":", "–", "(", "[")):
        return None
    methods: dict[str, str] = {}
    marks: dict[str, str] = {}
    equals = 0
    for match in _LEGEND_PAIR.finditer(line):
        code, sep, meaning = match.group(1), match.group(2), match.group(3).strip()
        if not _legend_meaning(code, meaning, methods, marks):
            continue
        if sep == "=":
            equals += 1
    total = len(methods) + len(marks)
    if total >= 2 or (total == 1 and equals == 1 and len(line) <= 60):
        return methods, marks
    if "(" in line or "[" in line:
        methods, marks = {}, {}
        for match in _LEGEND_PAIR_REVERSED.finditer(line):
            meaning, code = match.group(1).strip(), match.group(2)
            _legend_meaning(code, meaning, methods, marks)
        # two codes at least, and the line is about little else
        if len(methods) + len(marks) >= 2 and len(line) <= 200:
            return methods, marks
    return None


# --- bullets, sentences, openings --------------------------------------------

BULLET = re.compile(
    r"^\s*(?:[•·▪◦●○■□➢➤►‣⁃∙⦁\uf0b7\uf0a7\uf0d8\uf076\uf0fc]\s*|[✓✔☑➔→⇒]\s+(?=\S)|[-*–—]\s+|o\s+(?=[A-Z])"
    r"|\(?\d{1,2}[.)]\s+|\d{1,2}\.\d{1,2}[.)]?\s+(?=[A-Z])|\(\d{1,2}\)\s+|[a-h][.)]\s+(?=[A-Z])|\([a-h]\)\s+|\(?[ivx]{1,4}\)\s+)"
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
    "desirable", "criteria", "knowledge,", "occupational", "relationships", "conditions",
    "inclusion", "equality,", "diversity,",
    "language", "languages", "welsh", "literacy", "numeracy", "digital", "it", "ict", "driving",
    "mobility", "travel", "flexibility", "commitment", "standards", "development", "values,",
    "behavioural", "analytical", "organisational", "organizational", "planning", "people",
    "teamwork", "working", "safeguarding,", "experience,", "skills,", "personal,",
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
    r"^(?:(?:section|part)\s+\w{1,3}\s*[-–—:.]?\s*)?"
    r"(essential|desirable)(?:\s+(?:criteria|requirements|attributes|skills|qualities))?\s*:?$",
    re.I,
)
#: "What's assessed from your job application", "What we assess at interview", "Assessed at
#: shortlisting": the stage that assesses the criteria listed under it (its methods)
STAGE_HEADING = re.compile(
    r"^(?:what\s*(?:['’]s|is|will\s+be|we\s+(?:will\s+)?(?:assess|look\s+for|test))\s+"
    r"|criteria\s+|to\s+be\s+)?(?:assessed|measured|tested|looked\s+at|explored)?\s*"
    r"(?:from|in|on|at|by|through|during|via)\s+(?:your\s+|the\s+)?"
    r"(?P<stage>(?:job\s+)?application(?:\s+form)?|(?:the\s+)?interview(?:\s+stage)?|shortlisting(?:\s+stage)?"
    r"|(?:the\s+)?(?:selection|assessment)\s+(?:stage|day|centre)|tests?)"
    r"(?:\s+(?:stage|criteria))*\s*:?$",
    re.I,
)
#: words of a header row that names columns only ("Essential Desirable", "Criteria")
_HEADER_ONLY = {"essential", "desirable", "criteria", "criterion", "e", "d", "e/d", "essential/desirable"}


def stage_heading(text: str) -> tuple[str, str] | None:
    """(heading without a trailing "Criteria", stage words) for a stage heading, else None."""
    t = re.sub(r"\s+", " ", text).strip()
    match = STAGE_HEADING.match(t)
    if not match or not re.match(r"^(?:what|criteria|to\s+be|assessed|measured|tested)", t, re.I):
        return None
    name = re.sub(r"\s+criteria\s*:?$", "", t, flags=re.I).rstrip(":").strip()
    return name, match.group("stage")


def header_words_only(text: str) -> bool:
    """A line naming columns only: "Essential Desirable", "Criteria Essential / Desirable"."""
    words = [w for w in re.split(r"[\s/|]+", text.strip().lower()) if w]
    return len(words) >= 2 and all(w in _HEADER_ONLY for w in words) and any(
        w in ("essential", "desirable") for w in words)


#: column names a header row pasted on one line is made of ("Details Assessed by",
#: "Criteria Essential Desirable Method of Assessment")
_METHOD_HEADS = {
    "method of assessment", "methods of assessment", "how assessed", "assessed by", "how identified",
    "how it will be assessed", "how tested", "assessment method", "assessment methods", "identified by",
    "measured by", "means of assessment", "method of assessment (m.o.a)", "m.o.a", "moa",
}
_HEADER_PHRASES = sorted(
    {*HEADER_WORDS, *_METHOD_HEADS, "details", "detail", "essential", "desirable", "factor", "factors",
     "attribute", "attributes", "area", "areas"},
    key=len, reverse=True,
)


def header_phrases_only(text: str) -> bool:
    """A line of column names, one of them naming the methods: "Details Assessed by"."""
    rest = re.sub(r"\s+", " ", text).strip(" :*").lower()
    heads: list[str] = []
    while rest:
        for phrase in _HEADER_PHRASES:
            if rest == phrase or rest.startswith(phrase + " "):
                heads.append(phrase)
                rest = rest[len(phrase):].strip()
                break
        else:
            return False
    return len(heads) >= 2 and any(h in _METHOD_HEADS for h in heads)


_SENTENCE_METHODS = re.compile(r"(?<=[.!?])\s+(?P<methods>[A-Z][A-Za-z ,/&-]{3,60})$")


def trailing_methods(text: str, codes: dict[str, str]) -> tuple[str, set[str]] | None:
    """"... in a clinical environment. Application and interview": the method cell of a web
    table, pasted after its criterion on the same line."""
    match = _SENTENCE_METHODS.search(text)
    if not match or len(match.group("methods").split()) > 6:
        return None
    found = parse_methods(match.group("methods"), codes, loose=True)
    if not found:
        return None
    return text[: match.start()].rstrip(), found


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
    r"|^(?:generally,?\s+)?(?:candidates|applicants)\b(?!(?:\s+[^\s;:]+){0,12}?\s+(?:(?:must|should|will\s+need\s+to)"
    r"\s+(?:have|hold|possess|be\s+(?:registered|qualified|educated|able))|will\s+(?:also\s+)?be\s+considered"
    r"\s+if\s+they\s+(?:have|hold)))"
    r"|^[\w-]+\s+(?:candidates|applicants)\s+(?:may|can)\b|^the following\b"
    # a web page's furniture around the text pasted from it
    r"|^(?:filed\s+under|publication\s+type|share\s+this\s+page|print\s+this\s+page|back\s+to\s+top"
    r"|skip\s+to\s+(?:main\s+)?content)\b|^this person specification\b"
    r"|^the person specification\b|^key\s*:|^(?:if|where) (?:you|your)\b|^those (?:categories|criteria)\b"
    r"|^you (?:will|should|must)\b|^all (?:candidates|applicants)\b|^criteria marked\b"
    r"|^(?:[a-z]+\s+){0,2}tips?\s*:|\bcriteria\s+(?:may|will)\s+(?:initially\s+)?be\s+(?:applied|used|measured)\b"
    r"|^(?:assessment|methods? of assessment|how (?:assessed|we assess|you will be assessed)|assessed by"
    r"|shortlisting|interviews?|selection)\s*:"
    r"|^(?:the\s+)?(?:means|methods?|modes?)\s+of\s+(?:assessment|selection)\s+(?:will\s+be|is|are|includes?)\b"
    r"|^\(?(?:e|d|s)\s*=\s*|^e\.?g\.?\s|^\d\s+points?\s*=)",
    re.I,
)


#: A line introducing the list below it, not the start of a criterion: "The Independent
#: Person(s) will demonstrate:", "The successful candidate will have:", "Desirable additional
#: criteria are:". Each item of its list is a criterion of its own ("Knowledge of:" is no
#: lead-in: its items finish its sentence).
LEAD_IN = re.compile(
    r"^(?:[\w()'’/-]+\s+){0,5}?(?:will|shall|should|must|would|needs?\s+to|(?:is|are)\s+expected\s+to)"
    r"(?:\s+(?:also|be\s+able\s+to|have|possess|demonstrate|show|be|need))*\s*:$"
    r"|^(?:[\w()'’/-]+\s+){0,4}?(?:criteria|requirements)(?:\s+(?:are|is|include|includes))?\s*:$",
    re.I,
)
#: "... sound judgement. The Independent Person(s) will:": a lead-in riding on the item before
_TRAILING_LEAD_IN = re.compile(r"^(?P<before>.*?[.;!?])\s+(?P<lead>[A-Z][^.;!?]{3,80}:)$")


def lead_in(text: str) -> bool:
    return bool(LEAD_IN.match(re.sub(r"\s+", " ", text).strip()))


def trailing_lead_in(text: str) -> tuple[str, str] | None:
    """(the item, the lead-in) when a lead-in closes the line, else None."""
    match = _TRAILING_LEAD_IN.match(re.sub(r"\s+", " ", text).strip())
    if match and lead_in(match.group("lead")):
        return match.group("before"), match.group("lead")
    return None


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


# --- what is not a criterion: statements, the form's own labels, other sections --------

#: Sentences about the employer, the post or the process, not about the candidate.
_STATEMENT_OPENING = re.compile(
    r"^(?:we|our|us|you\s+(?:will|should|must|may|can|are|need|would)|if\s+you|please|thank"
    r"|this\s+(?:post|role|job|position|vacancy|appointment|person\s+specification|document|is|will)"
    r"|this\s+[‘'\"“]?(?:[\w-]+\s+){1,3}person\s+specification\b"
    r"|these\s+(?:posts?|roles?|criteria|requirements)"
    r"|the\s+(?:trust|council|school|academy|authority|board|icb|organisation|organization|company"
    r"|college|university|federation|partnership|practice|employer|post|role|job|position|vacancy"
    r"|appointment|closing\s+date|interviews?|person\s+specification|selection|panel|shortlisting"
    r"|information|criteria|above|following\s+(?:documents|checks))"
    r"|all\s+(?:appointments|posts|roles|staff|offers|applicants|candidates|employees|successful|our)"
    r"|applications?\s+(?:from|will|must|should|are|received|close)|appointments?\s+(?:will|are|is)"
    r"|offers?\s+of\s+employment|shortlisted|shortlisting\s+will|interviews?\s+will|references?\s+will"
    r"|online\s+searches|closing\s+date|interview\s+dates?|for\s+(?:further|more|an\s+informal)"
    r"|to\s+apply|how\s+to\s+apply|in\s+line\s+with|as\s+an?\s+(?:equal|disability|inclusive)"
    r"|mae['’]r|mae\s|rydym)\b",
    re.I,
)
#: Claims an employer makes about itself, wherever they stand in the sentence.
_ORG_CLAIM = re.compile(
    r"\b(?:is|are)\s+(?:fully\s+|strongly\s+|deeply\s+)?(?:committed|dedicated|proud)\s+to\b"
    r"|\b(?:is|are)\s+an?\s+(?:equal\s+opportunit|disability\s+confident|inclusive\s+employer|living\s+wage)"
    r"|\bdisability\s+confident\b|\bguarantee(?:d|s)?\s+(?:to\s+)?(?:an?\s+)?interview|\binterview\s+guarantee"
    r"|\brehabilitation\s+of\s+offenders\b|\bexempt(?:ed)?\s+from\s+the\b|\bwelcome[sd]?\s+applications\b"
    r"|\bequal\s+opportunit(?:y|ies)\s+employer\b",
    re.I,
)
_ROLE_HOLDER = re.compile(
    r"^(?:the\s+)?(?:successful\s+(?:candidate|applicant)|post-?\s?holder|appointee)\b.*\b(?:required\s+to"
    r"\s+(?:undergo|undertake|complete|obtain|provide)|dbs|disclosure|barred)",
    re.I,
)


def is_statement(text: str) -> bool:
    """A sentence about the employer, the post or the process (equal-opportunities,
    Disability Confident and DBS paragraphs, how to apply), not a requirement."""
    t = text.strip().lstrip("\"'“‘•·-–* ").strip()
    if not t:
        return False
    if _STATEMENT_OPENING.match(t) or _ROLE_HOLDER.match(t):
        return True
    # "Northshire Council is a Disability Confident employer", but not "A commitment
    # to equality, as the Trust is committed to it"
    return bool(_ORG_CLAIM.search(t)) and not opens_like_criterion(t)


#: Labels of a form's fields ("Grade: 6", "Closing date: 14 April"), in English or Welsh.
_ADMIN_LABELS = {
    "job title", "post title", "title", "post", "role", "position", "job", "grade", "band", "salary",
    "pay", "pay band", "hours", "working hours", "location", "base", "based at", "work base",
    "department", "directorate", "service", "service area", "division", "team", "section",
    "reports to", "reporting to", "responsible to", "accountable to", "line manager", "manager",
    "closing date", "interview date", "interview dates", "date", "ref", "reference", "job ref",
    "job reference", "vacancy reference", "post reference", "post number", "contract",
    "contract type", "working pattern", "scp", "spinal column point", "spinal column points",
    "number of posts", "no of posts", "no. of posts", "date reviewed", "date prepared",
    "date of issue", "date updated", "last updated", "version", "school", "employer",
    "employer name", "address", "website", "ward", "unit", "site", "job family", "job code",
    "dbs", "dbs level", "dbs check", "disclosure level", "swydd", "gradd", "adran", "cyflog",
    "lleoliad", "oriau", "teitl y swydd", "job evaluation", "je reference", "evaluation reference",
}
_ADMIN_LINE = re.compile(r"^([A-Za-z][A-Za-z .'’/&()-]{0,40}?)\s*:\s*(\S.*)?$")


#: a form's label in capitals and its value, no colon between ("JOB TITLE Higher Level Teaching
#: Assistant", "SCHOOL All", "MAIN PURPOSE OF THE JOB To contribute ...")
_CAPS_LABEL = re.compile(r"^([A-Z][A-Z .'’/&()-]{1,40}?)\s+(?=[A-Z]?[a-z0-9(])")


def is_admin_line(text: str) -> bool:
    """'Grade: 6', 'Post title: Business Support Officer', 'Swydd / Post: ...', 'GRADE Grade 8'."""
    t = text.strip()
    caps = _CAPS_LABEL.match(t)
    if caps and len(caps.group(1).strip()) >= 4 and not DBS_HEADING.match(t):
        label = re.sub(r"\s+", " ", caps.group(1)).strip()
        if label.lower() in _ADMIN_LABELS or (NONSPEC_HEADING.match(label) and len(label.split()) >= 2):
            return True
    if len(t) > 160:
        return False
    match = _ADMIN_LINE.match(t)
    if not match:
        return False
    label = re.sub(r"\s+", " ", match.group(1)).strip().lower()
    parts = [p.strip(" ()") for p in label.split("/")]
    return label in _ADMIN_LABELS or any(p in _ADMIN_LABELS for p in parts if p)


#: Sections of a job pack that hold no criteria.
NONSPEC_HEADING = re.compile(
    r"^(?:\d+[.)]?\s+)?(?:job\s+purpose|purpose(?:\s+of\s+(?:the\s+)?(?:job|role|post))?|role\s+purpose"
    r"|(?:job|role)\s+(?:summary|overview|description|profile|context)|overview(?:\s+of\s+the\s+role)?"
    r"|about\s+(?:the\s+|this\s+|our\s+)?(?:role|job|post|us|school|trust|council|team|service"
    r"|organisation|organization|department|directorate)"
    r"|main\s+(?:duties|purpose|responsibilities|tasks)(?:\s+(?:and|&)\s+responsibilities)?(?:\s+of\s+the\s+(?:job|post|role))?"
    r"|key\s+(?:duties|responsibilities|tasks|accountabilities|result\s+areas)"
    r"|(?:duties|responsibilities)(?:\s+(?:and|&)\s+(?:responsibilities|duties))?"
    r"|detailed\s+job\s+description(?:\s+and\s+main\s+responsibilities)?|job\s+description"
    r"|how\s+to\s+apply|safer\s+recruitment|disability\s+confident(?:\s+(?:employer|scheme))?"
    r"|employer\s+details|employer\s+certification.*|certificate\s+of\s+sponsorship|uk\s+registration"
    r"|further\s+(?:information|details)|additional\s+information|terms\s+and\s+conditions"
    r"|(?:staff\s+|employee\s+)?benefits|contact\s+(?:details|us|information)|supporting\s+documents"
    r"|documents(?:\s+to\s+download)?|working\s+for\s+our\s+organisation|dimensions"
    r"|(?:organisation(?:al)?|structure)\s+chart|equal(?:ity|ities)?\s+(?:of\s+)?opportunit(?:y|ies)\s+statement"
    r"|equality\s+statement|diversity\s+statement|safeguarding\s+statement|our\s+commitment"
    r"|(?:date\s+)?(?:prepared|agreed|reviewed|signed)(?:\s+by)?|signature[s]?"
    r"|eligibility\s+for\s+appointment|disqualifications?(?:\s+from\s+appointment)?"
    r"|weighting|scoring(?:\s+(?:key|guide|guidance|system|matrix))?"
    r"|notes?\s+(?:to|for)\s+(?:the\s+)?(?:manager|recruiting\s+manager|applicants?|job\s+applicants|candidates))\s*:?$",
    re.I,
)


def strong_heading(name: str) -> bool:
    """A heading made only of category words ('Qualifications', 'Skills and abilities')."""
    words = [w.strip("()[],:;").lower() for w in re.split(r"[\s/]+", name) if w.strip("()[],:;/&")]
    if not words or len(words) > 6:
        return False
    return all(w in CATEGORY_VOCAB or w in SMALL_WORDS for w in words) and any(w in CATEGORY_VOCAB for w in words)


_SPEC_TITLE = re.compile(
    r"(?:^|[\s–—:|/(-])person\s+spec(?:ification)?\b(?:\s+requirements)?\s*(?:[)(:–—-]|$)", re.I)
_COMBINED_TITLE = re.compile(r"\b(?:and|&)\s+person\s+spec", re.I)


def spec_title(text: str) -> bool:
    """'Person Specification', 'Teaching Assistant – Person Specification',
    'Manyleb Person / Person Specification'; not 'Job Description and Person Specification'."""
    t = text.strip()
    if not t or len(t.split()) > 12 or ends_sentence(t):
        return False
    if PERSON_SPEC.match(t):
        return True
    return bool(_SPEC_TITLE.search(t)) and not _COMBINED_TITLE.search(t)
