"""Score the person-specification importer against hand-written expected proposals.

A corpus is a folder of documents, each with its expected proposal beside it:

    NAME.json           the expected proposal (the ``--json`` shape: criteria, dbs,
                        disability_confident, waiver_policy)
    NAME.txt            a text document, imported as .txt
    NAME.docx.src       composed markup (see builders.parse_markup) built into a Word file
    NAME.pdf.src        composed markup built into a PDF
    NAME.docx / NAME.pdf  a real document, imported as it is

Run it as a script to print a table (criterion-level precision and recall, then the
accuracy of each field over the criteria found, and the vacancy facts):

    .venv/bin/python -m tests.specimport.accuracy                 # tests/specimport/corpus
    .venv/bin/python -m tests.specimport.accuracy --seeds         # and the three seeds
    .venv/bin/python -m tests.specimport.accuracy DIR --detail    # another corpus, with diffs

A predicted criterion is the same criterion as an expected one when their texts,
compared without case, spacing and punctuation, are at least 85% alike; each
expected criterion is matched at most once (best pairs first)."""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make "tests" and "shortlist" importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shortlist.specimport import Proposal, SpecImportError, import_spec  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
FIELDS = ("category", "text", "essential", "methods", "shortlisting")
FACTS = ("dbs_level", "barred_lists", "disability_confident", "waiver_policy")
MATCH_AT = 0.85


@dataclass
class Document:
    name: str
    kind: str  # txt, docx, pdf
    load: object  # () -> bytes
    expected: dict


@dataclass
class Score:
    name: str
    kind: str
    expected: int = 0
    predicted: int = 0
    matched: int = 0
    right: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})
    strict: int = 0
    facts: dict[str, bool] = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else (1.0 if not self.expected else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s+", " ", a).strip() == re.sub(r"\s+", " ", b).strip()


def _builders():
    from tests.specimport import builders

    return builders


def discover(folder: Path) -> list[Document]:
    documents: list[Document] = []
    for expected_path in sorted(folder.glob("*.json")):
        name = expected_path.stem
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        candidates = [
            (folder / f"{name}.txt", "txt"),
            (folder / f"{name}.docx.src", "docx-src"),
            (folder / f"{name}.pdf.src", "pdf-src"),
            (folder / f"{name}.docx", "docx"),
            (folder / f"{name}.pdf", "pdf"),
        ]
        for path, kind in candidates:
            if not path.exists():
                continue
            if kind == "docx-src":
                load = lambda p=path: _builders().docx_from_markup(p.read_text(encoding="utf-8"))  # noqa: E731
                kind = "docx"
            elif kind == "pdf-src":
                load = lambda p=path: _builders().pdf_from_markup(p.read_text(encoding="utf-8"))  # noqa: E731
                kind = "pdf"
            else:
                load = lambda p=path: p.read_bytes()  # noqa: E731
            documents.append(Document(name, kind, load, expected))
            break
    return documents


def seed_documents() -> list[Document]:
    builders = _builders()
    out: list[Document] = []
    for name, path in (("birmingham", builders.BIRMINGHAM), ("kent", builders.KENT), ("lewisham", builders.LEWISHAM)):
        expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
        out.append(Document(f"seed-{name}", "txt", lambda p=path: p.read_bytes(), expected))
    return out


def propose(document: Document) -> Proposal:
    data = document.load()  # type: ignore[operator]
    return import_spec(data, f"{document.name}.{document.kind}")


def match(expected: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """Pairs (expected index, predicted index), best-alike first, one-to-one."""
    scored: list[tuple[float, int, int]] = []
    norm_e = [_norm(c["text"]) for c in expected]
    norm_p = [_norm(c["text"]) for c in predicted]
    for i, a in enumerate(norm_e):
        for j, b in enumerate(norm_p):
            ratio = 1.0 if a == b else difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
            if ratio >= MATCH_AT:
                scored.append((ratio, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_e: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _ratio, i, j in scored:
        if i in used_e or j in used_p:
            continue
        used_e.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return sorted(pairs)


def score(document: Document, proposal: Proposal | None = None) -> Score:
    result = Score(document.name, document.kind)
    expected = document.expected["criteria"]
    result.expected = len(expected)
    if proposal is None:
        try:
            proposal = propose(document)
        except SpecImportError as error:
            result.error = error.message
            result.facts = {f: False for f in FACTS}
            return result
    predicted = [c.to_json() for c in proposal.criteria]
    result.predicted = len(predicted)
    pairs = match(expected, predicted)
    result.matched = len(pairs)
    for i, j in pairs:
        want, got = expected[i], predicted[j]
        ok_all = True
        for name in FIELDS:
            if name == "text":
                ok = _same_text(want["text"], got["text"])
            elif name == "methods":
                ok = set(want["methods"]) == set(got["methods"])
            elif name == "category":
                ok = want["category"].strip().casefold() == got["category"].strip().casefold()
            else:
                ok = want[name] == got[name]
            if ok:
                result.right[name] += 1
            else:
                ok_all = False
                shown = want["text"][:60]
                result.notes.append(f"  {name:<12} {shown!r}: expected {want[name]!r}, got {got[name]!r}")
        if ok_all:
            result.strict += 1
    matched_e = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    for i, want in enumerate(expected):
        if i not in matched_e:
            result.notes.append(f"  missed       {want['text']!r}")
    for j, got in enumerate(predicted):
        if j not in matched_p:
            result.notes.append(f"  extra        {got['text'][:110]!r} ({got['category']})")
    exp = document.expected
    got_facts = {
        "dbs_level": proposal.dbs_level,
        "barred_lists": sorted(proposal.barred_lists),
        "disability_confident": proposal.disability_confident,
        "waiver_policy": proposal.waiver_policy,
    }
    want_facts = {
        "dbs_level": exp["dbs"]["level"],
        "barred_lists": sorted(exp["dbs"]["barred_lists"]),
        "disability_confident": exp["disability_confident"],
        "waiver_policy": exp["waiver_policy"],
    }
    for name in FACTS:
        result.facts[name] = got_facts[name] == want_facts[name]
        if not result.facts[name]:
            result.notes.append(f"  fact {name}: expected {want_facts[name]!r}, got {got_facts[name]!r}")
    return result


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}" if whole else "    -"


def table(scores: list[Score], detail: bool = False) -> str:
    head = (
        f"{'document':<34} {'fmt':<4} {'exp':>4} {'got':>4} {'hit':>4} {'prec':>6} {'rec':>6} "
        + " ".join(f"{f[:5]:>6}" for f in FIELDS)
        + f" {'all':>6} {'facts':>5}"
    )
    lines = [head, "-" * len(head)]
    for s in scores:
        if s.error:
            lines.append(f"{s.name[:34]:<34} {s.kind:<4} error: {s.error}")
        else:
            lines.append(
                f"{s.name[:34]:<34} {s.kind:<4} {s.expected:>4} {s.predicted:>4} {s.matched:>4} "
                f"{_pct(s.matched, s.predicted):>6} {_pct(s.matched, s.expected):>6} "
                + " ".join(f"{_pct(s.right[f], s.matched):>6}" for f in FIELDS)
                + f" {_pct(s.strict, s.expected):>6} {sum(s.facts.values())}/{len(FACTS)}"
            )
        if detail and s.notes:
            lines.extend(s.notes)
    e = sum(s.expected for s in scores)
    p = sum(s.predicted for s in scores)
    m = sum(s.matched for s in scores)
    strict = sum(s.strict for s in scores)
    facts = sum(sum(s.facts.values()) for s in scores)
    lines.append("-" * len(head))
    lines.append(
        f"{'TOTAL (' + str(len(scores)) + ' documents)':<34} {'':<4} {e:>4} {p:>4} {m:>4} "
        f"{_pct(m, p):>6} {_pct(m, e):>6} "
        + " ".join(f"{_pct(sum(s.right[f] for s in scores), m):>6}" for f in FIELDS)
        + f" {_pct(strict, e):>6} {facts}/{len(FACTS) * len(scores)}"
    )
    lines.append(
        "prec/rec: criteria found; field columns: % right among the criteria found; "
        "all: % of expected criteria found with every field right; facts: DBS level, barred "
        "lists, Disability Confident, waiver"
    )
    return "\n".join(lines)


def summary(scores: list[Score]) -> dict[str, float]:
    e = sum(s.expected for s in scores)
    p = sum(s.predicted for s in scores)
    m = sum(s.matched for s in scores)
    out = {
        "precision": m / p if p else 0.0,
        "recall": m / e if e else 0.0,
        "all_fields": sum(s.strict for s in scores) / e if e else 0.0,
        "facts": sum(sum(s.facts.values()) for s in scores) / (len(FACTS) * len(scores)) if scores else 0.0,
    }
    for f in FIELDS:
        out[f] = sum(s.right[f] for s in scores) / m if m else 0.0
    return out


@dataclass
class Shape:
    """One format's figures over a set of documents: the ones the targets name."""

    kind: str
    docs: int
    expected: int
    predicted: int
    matched: int
    essential_right: int
    methods_right: int

    @property
    def precision(self) -> float:
        return _share(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        return _share(self.matched, self.expected)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def essential(self) -> float:
        return _share(self.essential_right, self.matched)

    @property
    def methods(self) -> float:
        return _share(self.methods_right, self.matched)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def shapes(scores: list[Score]) -> dict[str, Shape]:
    out: dict[str, Shape] = {}
    for kind in sorted({s.kind for s in scores}):
        group = [s for s in scores if s.kind == kind]
        out[kind] = Shape(
            kind, len(group), sum(s.expected for s in group), sum(s.predicted for s in group),
            sum(s.matched for s in group), sum(s.right["essential"] for s in group),
            sum(s.right["methods"] for s in group),
        )
    return out


def by_shape(scores: list[Score]) -> str:
    """One line per format (txt, docx, pdf): criteria F1 and the fields that the targets name."""
    lines = [f"{'shape':<6} {'docs':>4} {'exp':>4} {'got':>4} {'hit':>4} {'prec':>6} {'rec':>6} {'F1':>6} "
             f"{'E/D':>6} {'meth':>6}"]
    for kind, g in shapes(scores).items():
        lines.append(f"{kind:<6} {g.docs:>4} {g.expected:>4} {g.predicted:>4} {g.matched:>4} "
                     f"{100 * g.precision:6.1f} {100 * g.recall:6.1f} {g.f1:6.3f} "
                     f"{_pct(g.essential_right, g.matched):>6} {_pct(g.methods_right, g.matched):>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="corpus folders (default: tests/specimport/corpus)")
    parser.add_argument("--seeds", action="store_true", help="also score the three seed documents")
    parser.add_argument("--detail", action="store_true", help="list every wrong field, missed and extra criterion")
    parser.add_argument("--json", action="store_true", help="print the totals as JSON")
    parser.add_argument("--shapes", action="store_true", help="also print criteria F1, E/D and methods per format")
    args = parser.parse_args(argv)
    documents: list[Document] = []
    for folder in args.folders or [CORPUS]:
        documents.extend(discover(folder))
    if args.seeds:
        documents.extend(seed_documents())
    scores = [score(d) for d in documents]
    if args.json:
        print(json.dumps(summary(scores), indent=2))
    else:
        print(table(scores, detail=args.detail))
        if args.shapes:
            print()
            print(by_shape(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
