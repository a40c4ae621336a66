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


# --- composed documents: a small markup for Word and PDF ------------------------------
#
# The documents in corpus/ are written in a markup that becomes a real Word document
# or a real PDF (so the importer reads what Word or a PDF printer would give it):
#
#   a line                 a paragraph ("• " at its start: a bulleted list paragraph)
#   # a line               a heading
#   |! a | b | c |         a table header row (a PDF repeats it on every page)
#   | a | b // c | d |     a table row; " // " separates paragraphs inside a cell
#   |= a |                 a row of one cell merged across the table's width
#   | ^ | b |              "^": the cell above carries on down into this row (a
#                          vertically merged cell: Word's vMerge, a PDF's rowspan)
#   [page]                 a page break
#   [header] text          running head on every page (PDF only: Word keeps it apart)
#   [footer] text          running foot; "{page}" and "{pages}" are page numbers
#   [font] 9pt             the PDF's font size (default 10pt)
#
# A blank line closes a table.


def parse_markup(source: str) -> list[tuple]:
    blocks: list[tuple] = []
    table: list[tuple[bool, list[list[str]]]] | None = None
    for raw in source.split("\n"):
        line = raw.rstrip("\n")
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            header = stripped.startswith("|!")
            merged = stripped.startswith("|=")
            inner = stripped[2:-1] if header or merged else stripped[1:-1]
            cells = [[p.strip() for p in cell.split(" // ")] for cell in inner.split("|")]
            cells = [[p for p in cell if p] for cell in cells]
            if merged:
                cells = [cells[0], ["<merge>"]]
            if table is None:
                table = []
                blocks.append(("table", table))
            table.append((header, cells))
            continue
        table = None
        if stripped == "[page]":
            blocks.append(("page",))
        elif stripped.startswith(("[header]", "[footer]", "[font]")):
            key, _, value = stripped[1:].partition("]")
            blocks.append((key, value.strip()))
        elif stripped.startswith("# "):
            blocks.append(("h", stripped[2:].strip()))
        elif not stripped:
            blocks.append(("blank",))
        else:
            blocks.append(("p", line))
    return blocks


def _docx_paragraph(container, text: str, heading: bool = False, first=None):
    bullet = text.startswith("• ")
    if bullet:
        text = text[2:]
    if first is not None:
        paragraph = first
        paragraph.add_run(text)
        if bullet:
            paragraph.style = "List Bullet"
    elif heading:
        paragraph = container.add_heading(text, level=2)
    else:
        paragraph = container.add_paragraph(text, style="List Bullet" if bullet else None)
    return paragraph


def docx_from_markup(source: str) -> bytes:
    """A Word document: list paragraphs are real Word bullets (no bullet character
    in the text), tables are real tables."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for block in parse_markup(source):
        kind = block[0]
        if kind == "p":
            _docx_paragraph(document, block[1])
        elif kind == "h":
            _docx_paragraph(document, block[1], heading=True)
        elif kind == "page":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "table":
            rows = block[1]
            width = max(len(cells) for _, cells in rows)
            table = document.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            for _header, cells in rows:
                row = table.add_row().cells
                if cells[-1:] == [["<merge>"]]:
                    merged = row[0].merge(row[width - 1])
                    _docx_paragraph(merged, cells[0][0], first=merged.paragraphs[0])
                    continue
                for index in range(width):
                    paragraphs = cells[index] if index < len(cells) else []
                    if paragraphs == ["^"]:
                        above = table.rows[len(table.rows) - 2].cells[index]
                        above.merge(row[index])
                        continue
                    if not paragraphs:
                        continue
                    _docx_paragraph(row[index], paragraphs[0], first=row[index].paragraphs[0])
                    for extra in paragraphs[1:]:
                        _docx_paragraph(row[index], extra)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _html_cell(paragraphs: list[str], tag: str, span: str = "") -> str:
    parts: list[str] = []
    for text in paragraphs:
        if text.startswith("• "):
            # a hanging bullet written as text, as word processors print it
            parts.append(f"<p class='b'>\u2022\u00a0{html.escape(text[2:])}</p>")
        else:
            parts.append(f"<p>{html.escape(text)}</p>")
    return f"<{tag}{span}>{''.join(parts)}</{tag}>"


def pdf_from_markup(source: str) -> bytes:
    """A PDF as a word processor prints it: ruled tables whose header row repeats on
    each page, running heads and feet, bullets as bullet glyphs."""
    import weasyprint

    head = foot = ""
    font = "10pt"
    body: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            body.append("".join(items))
            items.clear()

    for block in parse_markup(source):
        kind = block[0]
        if kind == "p" and block[1].startswith("• "):
            items.append(f"<p class='b'>\u2022\u00a0{html.escape(block[1][2:])}</p>")
            continue
        flush()
        if kind == "p":
            body.append(f"<p>{html.escape(block[1])}</p>")
        elif kind == "h":
            body.append(f"<h2>{html.escape(block[1])}</h2>")
        elif kind == "page":
            body.append("<div style='page-break-after:always'></div>")
        elif kind == "header":
            head = block[1]
        elif kind == "footer":
            foot = block[1]
        elif kind == "font":
            font = block[1]
        elif kind == "table":
            thead = "".join(
                "<tr>" + "".join(_html_cell(c, "th") for c in cells) + "</tr>"
                for header, cells in block[1] if header
            )
            width = max(len(cells) for _h, cells in block[1])

            body_rows = [cells for header, cells in block[1] if not header]

            def spans(at: int, index: int, body_rows: list = body_rows) -> int:
                """How many rows the cell at (at, index) covers: itself and the "^" below it."""
                count = 1
                while at + count < len(body_rows) and body_rows[at + count][index:index + 1] == [["^"]]:
                    count += 1
                return count

            def row_html(at: int, cells: list[list[str]], width: int = width, spans=spans) -> str:
                if cells[-1:] == [["<merge>"]]:
                    return "<tr>" + _html_cell(cells[0], "td", f" colspan='{width}'") + "</tr>"
                out = []
                for index, cell in enumerate(cells):
                    if cell == ["^"]:
                        continue
                    count = spans(at, index)
                    out.append(_html_cell(cell, "td", f" rowspan='{count}'" if count > 1 else ""))
                return "<tr>" + "".join(out) + "</tr>"

            tbody = "".join(row_html(at, cells) for at, cells in enumerate(body_rows))
            body.append(f"<table><thead>{thead}</thead><tbody>{tbody}</tbody></table>")
    flush()

    def css_content(text: str) -> str:
        out: list[str] = []
        for piece in re.split(r"(\{page\}|\{pages\})", text):
            if piece == "{page}":
                out.append("counter(page)")
            elif piece == "{pages}":
                out.append("counter(pages)")
            elif piece:
                out.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
        return " ".join(out) or '""'

    style = (
        "@page{size:A4;margin:2cm 1.8cm;"
        f"@top-right{{content:{css_content(head)};font-size:8pt}}"
        f"@bottom-center{{content:{css_content(foot)};font-size:8pt}}}}"
        f"body{{font-family:sans-serif;font-size:{font}}}"
        "table{border-collapse:collapse;width:100%}"
        "th,td{border:1px solid #000;padding:3px 5px;vertical-align:top;text-align:left}"
        "td p,th p{margin:0 0 2px}p.b{padding-left:1em;text-indent:-1em}h2{font-size:1.2em}"
    )
    page = f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>{''.join(body)}</body></html>"
    return weasyprint.HTML(string=page).write_pdf()


def shared_stream_pdf(pages: int = 200, operations: int = 20_000) -> bytes:
    """A small PDF whose pages all draw one compressed content stream (issue 13, finding 7):
    a few kilobytes on disk, ``operations`` text-showing operators for every page to lay out."""
    import zlib

    content = b"BT /F1 9 Tf 40 800 Td " + b"(Experience of casework) Tj 0 -1 Td " * operations + b"ET"
    packed = zlib.compress(content, 9)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    first_page = len(objects) + 1
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
