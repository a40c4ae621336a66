"""docs/rules.md, the repository's own statement of the rules (R1-R37) and their sources,
is complete, and every rule the code, templates and docs cite by number is in it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rules.md"
HEADING = re.compile(r"^### R(\d+)\. ", re.MULTILINE)
CITED = re.compile(r"\bR(\d{1,2})\b")


def _sections() -> dict[int, str]:
    text = DOC.read_text(encoding="utf-8")
    marks = list(HEADING.finditer(text))
    ends = [m.start() for m in marks[1:]] + [text.index("## Test scenarios")]
    return {int(m.group(1)): text[m.start():end] for m, end in zip(marks, ends)}


def test_every_rule_is_stated_once_in_order_with_what_the_app_does() -> None:
    sections = _sections()
    assert list(sections) == list(range(1, 38))
    for number, body in sections.items():
        assert "- **Rule.**" in body, f"R{number} has no rule"
        assert "- **In Shortlist.**" in body, f"R{number} does not say what the app does"


def test_rules_with_outside_sources_name_them() -> None:
    # R25 and R27 are the mechanics of fair scoring the product itself sets; every other rule
    # comes from a law, a scheme or published guidance, and names it
    unsourced = [n for n, body in _sections().items() if "- **Sources.**" not in body]
    assert unsourced == [25, 27]


def test_every_rule_number_cited_in_the_repository_is_in_the_doc() -> None:
    known = set(_sections())
    cited: dict[int, str] = {}
    for folder in ("shortlist", "docs", "seeds"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".py", ".md", ".html", ".yaml"} or "static" in path.parts:
                continue
            for match in CITED.finditer(path.read_text(encoding="utf-8")):
                cited.setdefault(int(match.group(1)), str(path.relative_to(ROOT)))
    unknown = {f"R{n}": where for n, where in cited.items() if n not in known}
    assert not unknown, f"rules cited but not in docs/rules.md: {unknown}"
    assert len(cited) > 25  # the code does cite the rules
