"""Whatever arrives, import_spec returns a Proposal or raises SpecImportError with a
message for the user; it never hangs and never raises anything else."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortlist.specimport import Proposal, SpecImportError, import_spec, import_text

from . import builders

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(data: bytes, filename: str) -> Proposal | SpecImportError:
    try:
        proposal = import_spec(data, filename)
    except SpecImportError as error:
        assert isinstance(error.message, str) and error.message
        return error
    assert isinstance(proposal, Proposal)
    json.dumps(proposal.to_json())  # always serialisable
    return proposal


def error_of(data: bytes, filename: str) -> str:
    with pytest.raises(SpecImportError) as info:
        import_spec(data, filename)
    return info.value.message


@FAST
@given(data=st.binary(max_size=4000), ext=st.sampled_from([".docx", ".pdf", ".txt", ".md", ".text"]))
def test_random_bytes(data, ext):
    outcome(data, "upload" + ext)


@FAST
@given(data=st.binary(max_size=2000))
def test_random_bytes_behind_real_magic_numbers(data):
    outcome(b"%PDF-1.7\n" + data, "x.pdf")
    outcome(b"PK\x03\x04" + data, "x.docx")


@FAST
@given(text=st.text(max_size=3000))
def test_any_unicode_text(text):
    assert isinstance(import_text(text), Proposal)
    outcome(text.encode("utf-8", "surrogatepass"), "pasted.txt")


WEIRD = st.sampled_from(
    ["\u202e", "\u0000", "\ufeff", "\u200b", "\u2028", "\u2029", "\x0b", "\f", "\t", "\r", "\U0001f600",
     "e\u0301", "\ud800", "İ", "ß", "ﬁ", "\u00a0", "•", "✓", "(S)", "(E)", "AF/I", "Page 2 of 3", "\n\n",
     "EXPERIENCE\n", "Experience of ", "Enhanced\tX\n", "disab", ":", "• ", "=", "A = ", "PERSON SPECIFICATION\n"]
)


@FAST
@given(parts=st.lists(st.one_of(WEIRD, st.text(max_size=20)), max_size=80))
def test_weird_unicode_and_layout_fragments(parts):
    text = "".join(parts)
    assert isinstance(import_text(text), Proposal)
    outcome(text.encode("utf-8", "surrogatepass"), "x.txt")


def test_zip_that_is_not_a_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    message = error_of(buffer.getvalue(), "spec.docx")
    assert message.startswith("The file is not a Word document (.docx) we can read")
    assert "word/document.xml" in message


def test_random_bytes_named_docx_says_not_a_zip():
    assert error_of(b"hello world", "spec.docx") == (
        "The file is not a Word document (.docx) we can read: it is not a valid zip archive."
    )


def test_docx_with_damaged_xml():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    assert "not well-formed" in error_of(buffer.getvalue(), "spec.docx")


def test_docx_with_entity_declarations_is_refused():
    xml = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    assert "document type declaration" in error_of(buffer.getvalue(), "spec.docx")


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_with_body(xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_docx_with_entity_declarations_in_utf16_is_refused(encoding):
    """Issue 13, finding 13: a byte search for "<!ENTITY" missed a UTF-16 body, and the
    internal entity was expanded into the criteria. Any declaration, in any encoding, is refused."""
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        '<!DOCTYPE w:document [<!ENTITY big "Experience of casework">]>'
        f'<w:document xmlns:w="{_W_NS}"><w:body>'
        "<w:p><w:r><w:t>EXPERIENCE</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>&big;</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    data = xml.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    elif encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    message = error_of(_docx_with_body(data), "spec.docx")
    assert "document type declaration" in message


def test_docx_body_in_utf16_without_declarations_is_read():
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        f'<w:document xmlns:w="{_W_NS}"><w:body>'
        "<w:p><w:r><w:t>EXPERIENCE</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Experience of casework (E)</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    proposal = import_spec(_docx_with_body(xml.encode("utf-16")), "spec.docx")
    assert [c.text for c in proposal.criteria] == ["Experience of casework"]


def test_empty_pdf():
    blank = builders.pdf_from_paragraphs([])
    assert "no text" in error_of(blank, "blank.pdf")


def test_truncated_pdf():
    data = builders.pdf_from_paragraphs(["Person Specification", "EXPERIENCE", "Experience of X."])
    for cut in (len(data) // 3, len(data) // 2, len(data) - 40):
        outcome(data[:cut], "cut.pdf")


def test_not_a_pdf():
    assert "does not start like a PDF" in error_of(b"hello", "spec.pdf")


@pytest.mark.parametrize("name", ["empty.txt", "empty.docx", "empty.pdf"])
def test_empty_file(name):
    assert isinstance(outcome(b"", name), SpecImportError)


def test_empty_text_is_a_proposal_with_a_warning():
    proposal = import_text("")
    assert proposal.criteria == ()
    assert proposal.to_json() == {
        "low_confidence": False,
        "criteria": [],
        "dbs": {"level": "unknown", "barred_lists": []},
        "disability_confident": None,
        "waiver_policy": None,
        "warnings": ["No criteria were found. Check that the document is a person specification, or add "
                     "the criteria by hand."],
    }


@pytest.mark.parametrize("name", ["spec.doc", "spec.rtf", "spec.odt", "spec", "spec.docx.exe"])
def test_unsupported_types(name):
    message = error_of(b"Experience of X", name)
    assert "cannot be read" in message


def test_binary_named_txt():
    assert "not a text file" in error_of(bytes(range(256)) * 4, "spec.txt")
    assert "Word document" in error_of(b"PK\x03\x04rest", "spec.txt")


def test_cp1252_text():
    data = "PERSON SPECIFICATION\nSKILLS\nAbility to use Excel \u2013 advanced level (E)\n".encode("cp1252")
    proposal = import_spec(data, "spec.txt")
    assert proposal.criteria[0].text == "Ability to use Excel \u2013 advanced level"


def test_utf16_text():
    data = "PERSON SPECIFICATION\nSKILLS\nAbility to use Excel.\n".encode("utf-16")
    assert import_spec(data, "spec.txt").criteria[0].text == "Ability to use Excel."


def test_over_five_megabytes():
    big = ("Experience of working with children.\n" * 150_000).encode()
    assert len(big) > 5 * 1024 * 1024
    for name in ("big.txt", "big.docx", "big.pdf"):
        assert error_of(big, name).startswith("The file is larger than 5 MB")
    with pytest.raises(SpecImportError, match="larger than 5 MB"):
        import_text(big.decode())


@pytest.mark.parametrize(
    "text",
    [
        "Experience of " * 370_000,  # one 5 MB line
        "(" * 2_500_000 + ")" * 2_500_000,
        "disabled " * 570_000,
        "A = Application, I = Interview; " * 160_000,
        "\n" * 5_000_000,
        "EXPERIENCE\n" + "Experience of x, and\n" * 200_000,
        "a\t" * 2_500_000,
        # tables laid out with spaces, as a PDF gives them: every row read against the header
        "Criteria          Essential   Desirable   How assessed\n"
        + "Experience of working with     E     A / I\n      families and carers\n" * 4_900,
        "Criteria  E  D  A  I  T  P  R\n" + ("x  " * 30 + "\n") * 9_900,
        "We are a Disability Confident employer and we are committed to safeguarding.\n" * 9_900,
        # fixed-width columns: every other line a header, every other an item wrapped under a column
        ("REQUIREMENTS   ESSENTIAL   DESIRABLE\n" + "                 Experience of x     Knowledge of y\n") * 3_000,
    ],
    ids=["long-line", "parens", "disab", "legend", "newlines", "many-lines", "tabs", "pdf-table", "wide-rows",
         "statements", "fixed-columns"],
)
def test_pathological_text_is_quick(text):
    # CPU time of this process, not wall-clock time: the bound is on the importer's own work
    # (a quadratic blow-up takes minutes), unaffected by how busy the machine is.
    started = time.process_time()
    try:
        import_text(text)
    except SpecImportError:
        pass
    assert time.process_time() - started < 8
