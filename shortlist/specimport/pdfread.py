"""Read a PDF into the importer's text: tables as tables, within bounds.

A PDF is read with pdfplumber (on pdfminer.six). Tables are found from their ruling
lines and read cell by cell, as the Word reader reads a Word table: one row a line,
cells separated by tabs, paragraphs inside a cell by U+2028. A cell merged across the
table (a category heading row) is a line of one cell; a cell merged down several rows
(a category beside its criteria) is read once, in its first row. Inside a cell, a
line that ends well short of the cell's right edge ends a paragraph (the next word
would have fitted), so wrapped text joins up and separate paragraphs stay apart.

Text outside tables is laid out line by line with its columns kept apart by wide
gaps, as before, for the parser's layouts without rules.

Reading happens in a child process with a deadline, a memory limit, a page limit and
a limit on the decoded size of the pages' content (a small file can hold a content
stream that 200 pages share, each page interpreting it again), and no more than a few
PDFs are read at once on a machine: past that an upload is refused at once instead of
holding a web worker.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .model import SpecImportError

CELL_BREAK = "\u2028"


@dataclass(frozen=True)
class PdfLimits:
    pages: int = 60
    #: decoded page content, counted each time a page uses it
    decoded_bytes: int = 8 * 1024 * 1024
    seconds: float = 15.0
    #: PDFs read at once on this machine (by every worker)
    slots: int = 2
    #: memory the reading may add to the worker's own
    memory_bytes: int = 1024 * 1024 * 1024
    #: decoded content of one page
    page_bytes: int = 1024 * 1024
    #: where the slots' lock files are (default: SHORTLIST_PDF_SLOT_DIR, else the system's temporary folder),
    #: shared by every worker of one installation
    slot_dir: str | None = None


LIMITS = PdfLimits()


def pdf_error(reason: str) -> SpecImportError:
    return SpecImportError(f"The file is not a PDF we can read: {reason}.")


def pdf_text(data: bytes, limits: PdfLimits = LIMITS) -> str:
    """The PDF's text, or :class:`SpecImportError` (damaged, too big, too slow, busy)."""
    if not data:
        raise SpecImportError("The file is empty.")
    if b"%PDF-" not in data[:1024]:
        raise pdf_error("it does not start like a PDF")
    with _slot(limits):
        kind, value = _in_child(data, limits)
    if kind == "error":
        raise SpecImportError(value)
    if not value.strip():
        raise SpecImportError(
            "The PDF contains no text we can read (it may be a scanned image). "
            "Upload the Word document, or paste the text."
        )
    return value


# --- bounds -------------------------------------------------------------------------


@contextlib.contextmanager
def _slot(limits: PdfLimits) -> Iterator[None]:
    """Hold one of ``limits.slots`` machine-wide places, or refuse at once."""
    import fcntl

    folder = (limits.slot_dir or os.environ.get("SHORTLIST_PDF_SLOT_DIR")
              or os.path.join(tempfile.gettempdir(), "shortlist-pdf-slots"))
    os.makedirs(folder, exist_ok=True)
    for index in range(max(1, limits.slots)):
        handle = open(os.path.join(folder, f"slot-{index}.lock"), "a+b")  # noqa: SIM115 - held below
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()
        return
    raise SpecImportError(
        "Shortlist is reading other PDFs at the moment. Try again in a minute, or upload the "
        "Word document (.docx) or paste the text instead."
    )


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _in_child(data: bytes, limits: PdfLimits) -> tuple[str, str]:
    parent, child = _context().Pipe(duplex=False)
    process = _context().Process(target=_child, args=(data, limits, child), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(limits.seconds):
            raise SpecImportError(
                f"The PDF took longer than {limits.seconds:g} seconds to read, so reading it was "
                "stopped. Upload the person specification on its own, as a Word document, or "
                "paste its text."
            )
        try:
            return parent.recv()
        except (EOFError, OSError):
            raise pdf_error("it is damaged or too complex to read") from None
    finally:
        parent.close()
        if process.is_alive():
            process.kill()
        process.join(2)


def _child(data: bytes, limits: PdfLimits, conn: Any) -> None:
    try:
        import resource

        # on top of what the forked worker already maps
        with open("/proc/self/statm", encoding="ascii") as handle:
            mapped = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = mapped + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not every system allows it
        pass
    try:
        result: tuple[str, str] = ("ok", read_pdf(data, limits))
    except SpecImportError as error:
        result = ("error", error.message)
    except MemoryError:
        result = ("error", pdf_error("it needs too much memory to read").message)
    except RecursionError:
        result = ("error", pdf_error("its structure is too deeply nested").message)
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds of error on bad input
        result = ("error", pdf_error("it is damaged or not really a PDF").message)
    try:
        conn.send(result)
    finally:
        conn.close()


# --- reading --------------------------------------------------------------------------


def read_pdf(data: bytes, limits: PdfLimits = LIMITS) -> str:
    """The text of every page (in this process: :func:`pdf_text` bounds it)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise pdf_error("it is password-protected") from None
    pages: list[str] = []
    started = time.monotonic()
    with pdf:
        count = len(pdf.pages)
        if count > limits.pages:
            raise pdf_error(
                f"it has {count} pages, more than the {limits.pages} a person specification "
                "could need; upload the person specification on its own"
            )
        # what every page would lay out, counted before any is laid out
        decoded = 0
        for page in pdf.pages:
            size = _content_size(page)
            if size > limits.page_bytes:
                raise pdf_error(
                    f"page {page.page_number} holds more than {_size(limits.page_bytes)} of content "
                    "to lay out; upload the person specification on its own"
                )
            decoded += size
            if decoded > limits.decoded_bytes:
                raise pdf_error(
                    f"its pages hold more than {_size(limits.decoded_bytes)} of "
                    "content to lay out; upload the person specification on its own"
                )
        for page in pdf.pages:
            pages.append(page_text(page))
            page.close()
            if time.monotonic() - started > limits.seconds:
                break  # the parent has given up already
    return "\n\f".join(_join_split_rows(pages))


def _join_split_rows(pages: list[str]) -> list[str]:
    """A table row that a page break cut in two: the part on the next page (under the
    repeated header row, every cell empty or carrying on in lower case) goes back on
    the row it finishes."""
    split = [page.split("\n") for page in pages]
    for index in range(1, len(split)):
        before, lines = split[index - 1], split[index]
        rows_before = [i for i, line in enumerate(before) if "\t" in line]
        rows_here = [i for i, line in enumerate(lines) if "\t" in line]
        if not rows_before or not rows_here:
            continue
        last = rows_before[-1]
        first = rows_here[0]
        header = next((before[i] for i in rows_before if i > 0 and "\t" in before[i]), None)
        if lines[first] == before[rows_before[0]] or lines[first] == header:
            if len(rows_here) < 2:
                continue
            first = rows_here[1]
        head_cells = before[last].split("\t")
        tail_cells = lines[first].split("\t")
        if len(head_cells) != len(tail_cells):
            continue
        filled = [c for c in tail_cells if c.strip()]
        if not filled or not filled[0].strip()[0].islower() or not head_cells[tail_cells.index(filled[0])].strip():
            continue
        # the first cell carries on in lower case: the row goes on; another cell opening with
        # a capital begins a paragraph of its own in its cell
        before[last] = "\t".join(
            (f"{a} {b}" if b.strip()[0].islower() else f"{a}{CELL_BREAK}{b}").strip() if b.strip() else a
            for a, b in zip(head_cells, tail_cells)
        )
        del lines[first]
    return ["\n".join(lines) for lines in split]


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{max(1, count // 1024)} KB"


def _content_size(page: Any) -> int:
    size = 0
    for stream in getattr(page.page_obj, "contents", None) or []:
        get = getattr(stream, "get_data", None)
        if get is not None:
            size += len(get())
    return size


_BULLET = re.compile(r"^[\u2022\u25cf\u25aa\u25a0\u2023\u2043\u25e6\u2219\u00b7\uf0b7\uf0a7\uf076\uf0d8-]\s*")


@dataclass
class _TextLine:
    top: float
    bottom: float
    x0: float
    x1: float
    words: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


def _lines_of(words: list[dict[str, Any]]) -> list[_TextLine]:
    """Words grouped into lines by their vertical position, top to bottom."""
    lines: list[_TextLine] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        for line in lines[-3:]:
            if abs(line.top - word["top"]) <= max(2.0, 0.35 * (word["bottom"] - word["top"])):
                line.words.append(word)
                line.x0 = min(line.x0, word["x0"])
                line.x1 = max(line.x1, word["x1"])
                line.bottom = max(line.bottom, word["bottom"])
                break
        else:
            lines.append(_TextLine(word["top"], word["bottom"], word["x0"], word["x1"], [word]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    lines.sort(key=lambda line: line.top)
    return lines


def _words(region: Any) -> list[dict[str, Any]]:
    return [w for w in region.extract_words(x_tolerance=1.5, keep_blank_chars=False) if w.get("upright", True)]


#: points per character column when text outside tables is laid out with spaces
_COLUMN = 4.0


def _laid_out(line: _TextLine, origin: float) -> str:
    """The line with wide gaps kept as runs of spaces, each word at its column."""
    out = ""
    previous: dict[str, Any] | None = None
    for word in line.words:
        height = max(1.0, word["bottom"] - word["top"])
        column = max(0, int((word["x0"] - origin) / _COLUMN))
        if previous is None:
            out = " " * column
        elif word["x0"] - previous["x1"] < 0.9 * height:
            out += " "
        else:
            out += " " * max(3, column - len(out))
        out += word["text"]
        previous = word
    return out


def _cell_paragraphs(
    words: list[dict[str, Any]], left: float, right: float, pitch: float = 0.0
) -> list[str]:
    """Paragraphs of one table cell: wrapped lines joined, separate paragraphs kept apart
    (a line that ends short, or one further below the line before than the table's lines
    of one paragraph are: ``pitch``, the smallest distance between lines in its cells)."""
    lines = _lines_of(words)
    if not lines:
        return []
    # text stops as far inside the cell's right edge as it starts inside its left one
    inset = max(0.0, min(line.x0 for line in lines) - left)
    edge = max(right - inset, max(line.x1 for line in lines))
    paragraphs: list[str] = []
    previous: _TextLine | None = None
    for line in lines:
        text = line.text
        if previous is None or _BULLET.match(text) or _ends_short(previous, line, edge) or (
            pitch and line.top - previous.top > pitch + max(1.0, 0.08 * pitch)
        ):
            paragraphs.append(text)
        elif paragraphs[-1].endswith(("/", "-")) and not paragraphs[-1].endswith((" /", " -")):
            paragraphs[-1] += text  # "A/" over "I", "well-" over "being"
        else:
            paragraphs[-1] += " " + text
        previous = line
    return paragraphs


def _ends_short(previous: _TextLine, line: _TextLine, edge: float) -> bool:
    """Whether ``previous`` ended its paragraph: the first word of ``line`` would have fitted."""
    first = line.words[0]
    space = 0.3 * max(1.0, first["bottom"] - first["top"])
    if previous.text.rstrip().endswith(":"):
        return True
    return previous.x1 + space + (first["x1"] - first["x0"]) < edge - 1.0


def _line_pitch(cells: list[list[dict[str, Any]]]) -> float:
    """The smallest distance from one line's top to the next within a cell (0: no cell
    has two lines): how far apart the lines of one paragraph are in this table."""
    pitches = []
    for words in cells:
        lines = _lines_of(words)
        pitches += [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top - a.top > 1.0]
    return min(pitches) if pitches else 0.0


def _table_lines(page: Any, table: Any, words: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    inside_of: dict[tuple[float, ...], list[dict[str, Any]]] = {}
    for row in table.rows:
        for bbox in row.cells:
            if bbox is not None:
                x0, top, x1, bottom = bbox
                inside_of[tuple(bbox)] = [w for w in words if w["x0"] >= x0 - 1 and w["x1"] <= x1 + 1
                                          and w["top"] >= top - 1 and w["bottom"] <= bottom + 1]
    pitch = _line_pitch(list(inside_of.values()))
    for row in table.rows:
        cells: list[str] = []
        for bbox in row.cells:
            if bbox is None:
                cells.append("")
                continue
            x0, _top, x1, _bottom = bbox
            cells.append(CELL_BREAK.join(_cell_paragraphs(inside_of[tuple(bbox)], x0, x1, pitch)))
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(filled) == 1 and len(cells) > 1 and cells.index(filled[0]) == 0 and all(
            c is None for c in row.cells[1:]
        ):
            lines.append(filled[0])  # a row of one cell merged across the table
        else:
            lines.append("\t".join(cells))
    return lines


def page_text(page: Any) -> str:
    words = _words(page)
    tables = []
    settings: dict[str, Any] = {}
    verticals = [edge for edge in page.edges if edge.get("orientation") == "v"]
    if verticals:
        # a row cut by the page break has no line under it: close it where its sides stop
        settings["explicit_horizontal_lines"] = [max(edge["bottom"] for edge in verticals)]
    for table in page.find_tables(settings):
        widths = [sum(1 for cell in row.cells if cell is not None) for row in table.rows]
        if widths and max(widths) >= 2:
            tables.append(table)
    items: list[tuple[float, int, list[str]]] = []
    outside = list(words)
    for table in tables:
        x0, top, x1, bottom = table.bbox
        items.append((top, 1, _table_lines(page, table, words) + [""]))
        outside = [w for w in outside if not (w["x0"] >= x0 - 1 and w["x1"] <= x1 + 1
                                               and w["top"] >= top - 1 and w["bottom"] <= bottom + 1)]
    lines = _lines_of(outside)
    origin = min((line.x0 for line in lines), default=0.0)
    previous: _TextLine | None = None
    for line in lines:
        out: list[str] = []
        if previous is not None:
            height = max(1.0, line.bottom - line.top)
            if line.top - previous.bottom > 0.6 * height:
                out.append("")  # a paragraph's worth of space
        out.append(_laid_out(line, origin))
        items.append((line.top, 0, out))
        previous = line
    items.sort(key=lambda item: (item[0], item[1]))
    return "\n".join(text for _top, _kind, texts in items for text in texts)
