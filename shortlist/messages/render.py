"""Message templates: checking HR's wording, and filling placeholders into a plain-text
part and an HTML part. Pure Python: no Flask or database.

A template body is plain text: paragraphs separated by a blank line; a block whose every
line starts with ``* `` (or ``- ``) is a bulleted list; ``# `` starts a heading and ``^ ``
inset text (GOV.UK Notify's formatting). A block that is empty once its placeholders are
filled (an employer who shares no panel names, say) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from shortlist.messages.catalogue import Kind

PLACEHOLDER = re.compile(r"\(\(([^()]*)\)\)")
URL = re.compile(r"https?://[^\s<>\"')]+[^\s<>\"').,;:!?]")
SUBJECT_MAX = 200
BODY_MAX = 10_000


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str  # "subject" | "body"

    def as_error(self) -> dict[str, str]:
        return {"text": self.message, "href": f"#{self.field}"}


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order of first use."""
    seen: dict[str, None] = {}
    for match in PLACEHOLDER.finditer(text):
        seen.setdefault(match.group(1).strip(), None)
    return list(seen)


def _names(names: list[str]) -> str:
    quoted = [f"(({n}))" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def check(kind: Kind, subject: str, body: str) -> list[Problem]:
    """Everything wrong with HR's wording for a kind of message, naming each unknown placeholder."""
    problems: list[Problem] = []
    allowed = set(kind.placeholders)
    for field, text, limit in (("subject", subject, SUBJECT_MAX), ("body", body, BODY_MAX)):
        label = "subject" if field == "subject" else "message"
        if not text.strip():
            problems.append(Problem(f"{field}_missing", f"Enter the {label}", field))
            continue
        if len(text) > limit:
            problems.append(Problem("too_long", f"The {label} must be {limit:,} characters or fewer", field))
            continue
        if field == "subject" and ("\n" in text or "\r" in text):
            problems.append(Problem("subject_lines", "The subject must be a single line", field))
        unknown = [n for n in placeholders_in(text) if n not in allowed]
        if unknown:
            verb = "is not a placeholder" if len(unknown) == 1 else "are not placeholders"
            problems.append(Problem(
                "unknown_placeholder",
                f"The {label} uses {_names(unknown)}, which {verb} of this message. "
                f"You can use {_names(list(kind.placeholders))}", field))
        rest = PLACEHOLDER.sub("", text)
        if "((" in rest or "))" in rest:
            problems.append(Problem(
                "placeholder_unclosed",
                f"The {label} has a placeholder that is not written as ((name)): open it with (( and close "
                "it with ))", field))
    missing = [n for n in kind.required if n not in placeholders_in(subject) + placeholders_in(body)]
    if missing and not any(p.field == "body" for p in problems):
        problems.append(Problem("placeholder_required",
                                f"The message must include {_names(missing)}: without it the message is no use",
                                "body"))
    return problems


def _fill(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1).strip()]), text)


def _blocks(body: str) -> list[str]:
    return [b.strip("\n") for b in re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n")) if b.strip()]


def subject_text(subject: str, values: Mapping[str, str]) -> str:
    """The subject with its placeholders filled: one line."""
    return " ".join(_fill(subject, values).split())


def fill(body: str, values: Mapping[str, str]) -> str:
    """The body with its placeholders filled, formatting marks kept (``* ``, ``# ``, ``^ ``),
    blocks left empty by their placeholders dropped. What the outbox keeps: the text and
    HTML parts are both made from it, and it has no placeholders left to fill."""
    out = []
    for block in _blocks(body):
        filled = _fill(block, values).strip("\n")
        if filled.strip(" \t\n*-#^"):
            out.append(filled)
    return "\n\n".join(out)


def plain_text(filled: str) -> str:
    """The plain-text part: the filled body without the heading and inset marks."""
    return "\n\n".join(block[2:].strip() if block.startswith(("# ", "^ ")) else block
                        for block in _blocks(filled)) + "\n"


def _linked(text: str) -> Markup:
    """Escaped text with its web addresses linked and its line breaks kept."""
    parts: list[Markup] = []
    position = 0
    for match in URL.finditer(text):
        parts.append(escape(text[position:match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(match.group(0)))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("<br>").join(Markup("").join(parts).split("\n"))


def html_fragment(filled: str) -> Markup:
    """The HTML part's content: headings, paragraphs, lists and inset text, no styles."""
    html: list[Markup] = []
    for block in _blocks(filled):
        lines = block.split("\n")
        if all(line.startswith(("* ", "- ")) for line in lines):
            items = Markup("").join(Markup("<li>{}</li>").format(_linked(line[2:])) for line in lines)
            html.append(Markup("<ul>{}</ul>").format(items))
        elif block.startswith("# "):
            html.append(Markup("<h2>{}</h2>").format(_linked(block[2:])))
        elif block.startswith("^ "):
            html.append(Markup('<blockquote class="inset">{}</blockquote>').format(_linked(block[2:])))
        else:
            html.append(Markup("<p>{}</p>").format(_linked(block)))
    return Markup("\n").join(html)


EMAIL_STYLE = Markup(  # a constant: no data in it
    "body{margin:0;padding:0;background:#ffffff;color:#0b0c0c;font-family:Arial,Helvetica,sans-serif;"
    "font-size:19px;line-height:1.4}"
    ".content{max-width:580px;margin:0 auto;padding:20px}"
    "h2{font-size:24px;margin:30px 0 10px}p,ul{margin:0 0 20px}a{color:#1d70b8}"
    "blockquote.inset{margin:0 0 20px;padding:10px 0 10px 15px;border-left:10px solid #b1b4b6}"
)


def html_document(subject: str, filled: str) -> str:
    """The HTML part: a whole document (its styles in the head: e-mail readers allow that)."""
    return str(Markup(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title}</title><style>{style}</style></head>\n"
        '<body><div class="content">\n{content}\n</div></body></html>\n').format(
        title=subject, style=EMAIL_STYLE, content=html_fragment(filled)))
