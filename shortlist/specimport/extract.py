"""Turn an uploaded file (plain text, Word .docx or PDF) into text.

Tables come out one row per line with cells separated by tabs; several
paragraphs inside one table cell are separated by U+2028 (LINE SEPARATOR) so a
row stays on one line. PDF pages are separated by form feeds.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree  # types only: parsing is defusedxml's  # nosec B405

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from .model import SpecImportError

MAX_BYTES = 5 * 1024 * 1024
#: The unpacked Word body may be bigger than the upload, but not without limit
#: (a small zip can unpack to gigabytes).
MAX_DOCX_XML_BYTES = 25 * 1024 * 1024

CELL_BREAK = "\u2028"

TEXT_EXTENSIONS = (".txt", ".text", ".md")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise SpecImportError(
            "The file is larger than 5 MB. Save the person specification on its own, "
            "or paste its text instead."
        )


def extension_of(filename: str) -> str:
    name = (filename or "").strip().lower()
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""


def extract_text(data: bytes, filename: str) -> str:
    """Return the document's text, or raise :class:`SpecImportError`."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise SpecImportError("The upload could not be read.")
    data = bytes(data)
    check_size(len(data))
    ext = extension_of(filename)
    if ext in TEXT_EXTENSIONS:
        return text_from_bytes(data)
    if ext == ".docx":
        return docx_text(data)
    if ext == ".pdf":
        return pdf_text(data)
    if ext == ".doc":
        raise SpecImportError(
            "Older Word documents (.doc) cannot be read. Open the file in Word and "
            "save it as a Word document (.docx), or as PDF."
        )
    shown = ext or "no extension"
    raise SpecImportError(
        f"Files of this type ({shown}) cannot be read. Upload a Word document (.docx), "
        "a PDF (.pdf) or a text file (.txt)."
    )


# --- plain text -------------------------------------------------------------


def text_from_bytes(data: bytes) -> str:
    if not data:
        raise SpecImportError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        raise SpecImportError(
            "The file is not a text file: it looks like a Word document or zip archive. "
            "Upload it with its own extension (.docx)."
        )
    if data.lstrip()[:5] == b"%PDF-":
        raise SpecImportError(
            "The file is not a text file: it looks like a PDF. Upload it with the .pdf extension."
        )
    text: str | None = None
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if _looks_binary(text):
        raise SpecImportError(
            "The file is not a text file we can read: it contains binary data. "
            "Upload a Word document (.docx), a PDF or plain text."
        )
    return text


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:20000]
    if not sample:
        return False
    bad = 0
    for ch in sample:
        code = ord(ch)
        if (code < 32 and ch not in "\t\n\r\f\x0b") or ch == "\ufffd" or 0x7F <= code < 0xA0:
            bad += 1
    return bad > max(3, len(sample) // 20)


# --- Word (.docx) -------------------------------------------------------------


def _docx_error(reason: str) -> SpecImportError:
    return SpecImportError(f"The file is not a Word document (.docx) we can read: {reason}.")


def docx_text(data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _docx_error(
            "it is an older Word (.doc) file or is password-protected; save it as .docx"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise _docx_error("it is not a valid zip archive") from None
    try:
        with archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                raise _docx_error(
                    "it is a zip archive without a Word document body (word/document.xml)"
                ) from None
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise _docx_error("its document body is too large")
            with archive.open(info) as handle:
                xml = handle.read(MAX_DOCX_XML_BYTES + 1)
    except SpecImportError:
        raise
    except Exception:  # noqa: BLE001 - damaged archives raise many different errors
        raise _docx_error("the archive is damaged") from None
    if len(xml) > MAX_DOCX_XML_BYTES:
        raise _docx_error("its document body is too large")
    try:
        # defusedxml refuses a DTD whatever the encoding (Word never writes one): no entity
        # expansion, no external fetch
        root = defused_fromstring(xml, forbid_dtd=True)
    except DefusedXmlException:
        raise _docx_error("its document body contains a document type declaration") from None
    except (ElementTree.ParseError, ValueError, LookupError):
        raise _docx_error("its document body is not well-formed XML") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise _docx_error("its document body is missing")
    lines: list[str] = []
    _block_text(body, lines)
    return "\n".join(lines)


def _block_text(container: ElementTree.Element, lines: list[str]) -> None:
    """Append the text of paragraphs and tables directly inside ``container``."""
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            lines.append(_paragraph_text(child))
        elif tag == f"{_W}tbl":
            _table_text(child, lines)
            lines.append("")  # the end of a table reads like a paragraph break
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}sdtContent", f"{_W}ins", f"{_W}smartTag"):
            _block_text(child, lines)


#: Word list paragraphs hold their bullet or number in the numbering part, not in the
#: text; the importer needs to know where one list item ends and the next begins.
LIST_MARK = "\u2022 "


def _is_list_paragraph(paragraph: ElementTree.Element) -> bool:
    props = paragraph.find(f"{_W}pPr")
    if props is None:
        return False
    style = props.find(f"{_W}pStyle")
    name = (style.get(f"{_W}val") or "").lower().replace(" ", "") if style is not None else ""
    if name.startswith(("heading", "title", "subtitle", "toc")):
        return False  # numbered headings ("1. Qualifications") stay headings
    numbering = props.find(f"{_W}numPr")
    if numbering is not None:
        num_id = numbering.find(f"{_W}numId")
        # numId 0 switches numbering off
        return num_id is None or num_id.get(f"{_W}val", "") != "0"
    return name.startswith(("listbullet", "listnumber")) or name in ("listparagraph", "bullet", "bullets")


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    text = _run_text(paragraph)
    if text.strip() and _is_list_paragraph(paragraph):
        return LIST_MARK + text.lstrip()
    return text


def _run_text(paragraph: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab" or tag == f"{_W}ptab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}sym":
            parts.append(" ")
    return "".join(parts)


def _table_text(table: ElementTree.Element, lines: list[str]) -> None:
    # Only this table's own rows: nested tables are flattened into their cell.
    for row in table.findall(f"{_W}tr"):
        cells: list[str] = []
        for cell in row.findall(f"{_W}tc"):
            cells.append(_cell_text(cell))
        if cells:
            lines.append("\t".join(cells))


def _cell_text(cell: ElementTree.Element) -> str:
    paragraphs: list[str] = []
    for node in cell.iter(f"{_W}p"):
        paragraphs.append(_paragraph_text(node).replace("\n", CELL_BREAK))
    while paragraphs and not paragraphs[-1].strip():
        paragraphs.pop()
    while paragraphs and not paragraphs[0].strip():
        paragraphs.pop(0)
    return CELL_BREAK.join(p for p in paragraphs)


# --- PDF ---------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The PDF's text, tables read cell by cell, within bounds (see pdfread)."""
    from .pdfread import pdf_text as read

    return read(data)
