"""Build .docx and .pdf test documents from text (python-docx and WeasyPrint are
test-only tools; the importer reads these formats without them)."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "seeds"
BIRMINGHAM = SEEDS / "000_9911842fa8713752.txt"
KENT = SEEDS / "002_57b1a6328f47807d.txt"
LEWISHAM = SEEDS / "003_19d151de4feb819a.txt"

_CODE = re.compile(r"^[A-Z]{1,2}(?:/[A-Z]{1,2})+$")


def docx_bytes(blocks: list[str | list[list[str]]]) -> bytes:
    """A Word document from blocks: a string is a paragraph (tabs kept), a list of
    rows is a table; a cell's lines ("\\n") become paragraphs in the cell."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        table = document.add_table(rows=0, cols=width)
        for row in block:
            cells = table.add_row().cells
            for index, value in enumerate(row):
                paragraphs = value.split("\n")
                cells[index].paragraphs[0].add_run(paragraphs[0])
                for extra in paragraphs[1:]:
                    cells[index].add_paragraph(extra)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_from_text(text: str) -> bytes:
    """Every line a paragraph."""
    return docx_bytes(text.split("\n"))


def pdf_from_text(text: str) -> bytes:
    """The text in a <pre>, tabs shown as a wide gap, on landscape pages."""
    import weasyprint

    body = html.escape(text.replace("\t", "    "))
    page = (
        "<html><head><meta charset='utf-8'><style>@page{size:A4 landscape;margin:1cm}"
        "pre{font-family:monospace;font-size:6.5pt;white-space:pre}</style></head>"
        f"<body><pre>{body}</pre></body></html>"
    )
    return weasyprint.HTML(string=page).write_pdf()


def pdf_from_paragraphs(paragraphs: list[str]) -> bytes:
    import weasyprint

    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page = (
        "<html><head><meta charset='utf-8'><style>@page{size:A4;margin:2cm}"
        "body{font-size:10pt}</style></head>"
        f"<body>{body}</body></html>"
    )
    return weasyprint.HTML(string=page).write_pdf()


def _cell_stream(lines: list[str]) -> list[list[str]]:
    """Cells of a Word table saved as text: a line starting with a tab opens a cell
    (a lone tab is an empty cell), a line without one continues the cell as a new
    paragraph. Returns cells as lists of paragraphs."""
    cells: list[list[str]] = []
    for line in lines:
        if not line.strip() and not line.startswith("\t"):
            continue
        if line.startswith("\t"):
            cells.append([line[1:].strip("\t ").rstrip()])
        elif cells:
            cells[-1].append(line.strip())
    return cells


def birmingham_docx() -> bytes:
    """The Birmingham seed as Word would hold it: paragraphs, the DBS tick grid as a
    table, and the person specification as a category/criterion/method table."""
    lines = BIRMINGHAM.read_text(encoding="utf-8").split("\n")
    grid_start = next(i for i, l in enumerate(lines) if l.strip() == "Children")
    grid_end = next(i for i, l in enumerate(lines) if "Line Manager Responsibility" in l)
    spec_at = next(i for i, l in enumerate(lines) if l.strip() == "Person Specification")
    table_start = next(i for i, l in enumerate(lines) if l.strip() == "CRITERIA")
    table_end = next(i for i, l in enumerate(lines) if l.startswith("At Birmingham"))

    blocks: list[str | list[list[str]]] = [l.strip("\t") for l in lines[:grid_start]]

    grid: list[list[str]] = []
    group: list[str] = []
    for line in lines[grid_start:grid_end] + [""]:
        if line.startswith("\t"):
            group.append(line.strip("\t "))
        elif group:
            grid.append(group)
            group = []
    header = [""] + grid[0]
    width = len(header)
    blocks.append([header] + [(row + [""] * width)[:width] for row in grid[1:]])

    blocks += [l.strip("\t") for l in lines[grid_end:table_start]]

    cells = _cell_stream(lines[table_start:table_end])
    rows: list[list[str]] = [["\n".join(c) for c in cells[:3]]]
    row: list[str] = []
    for cell in cells[3:]:
        text = "\n".join(cell)
        row.append(text)
        if _CODE.match(text):
            if len(row) == 2:
                row.insert(0, "")
            rows.append(row)
            row = []
    blocks.append(rows)
    blocks += [l for l in lines[table_end:]]
    assert spec_at < table_start
    return docx_bytes(blocks)
