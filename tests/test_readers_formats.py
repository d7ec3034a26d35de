"""Tests for the HTML, PDF and Word readers, on fixture files built in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from ingest.errors import UnsupportedFile
from ingest.readers import docx_reader, html_reader, pdf_reader, read_path
from ingest.records import ReadDocument


def make_pdf(lines: list[str], title: str | None = None, author: str | None = None) -> bytes:
    """A minimal single-page PDF drawing ``lines`` in Helvetica, with a correct xref table."""

    def literal(text: str) -> str:
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    shown = " 0 -16 Td ".join(f"{literal(line)} Tj" for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td {shown} ET".encode("latin-1") if lines else b""
    info = "".join(f" /{key} {literal(value)}" for key, value in (("Title", title), ("Author", author)) if value)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        f"<<{info} >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def heading_texts(doc: ReadDocument) -> list[tuple[str, int]]:
    return [(doc.text[h.start : h.end], h.level) for h in doc.headings]


PAGE = """<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>Carers &amp; Respite</title>
  <style>body { color: red; }</style>
  <script>var secret = "do not index";</script>
</head>
<body>
  <nav><a href="/">Home</a> | <a href="/about">About</a></nav>
  <h1>Short   breaks
     for carers</h1>
  <p>Respite costs &#163;120 per week &amp; rising.</p>
  <div>First line<br>Second line</div>
  <h2>Findings</h2>
  <ul><li>Fewer admissions</li><li><p>Better   wellbeing</p></li></ul>
  <table>
    <tr><th>Area</th><th>Cost</th></tr>
    <tr><td>York</td><td>&pound;5m</td></tr>
  </table>
  <script>document.write("also hidden")</script>
</body>
</html>
"""

PAGE_TEXT = (
    "Short breaks for carers\n\n"
    "Respite costs £120 per week & rising.\n\n"
    "First line\n\n"
    "Second line\n\n"
    "Findings\n\n"
    "- Fewer admissions\n\n"
    "- Better wellbeing\n\n"
    "Area | Cost\n\n"
    "York | £5m"
)


class TestHtmlReader:
    def test_text_headings_and_metadata(self, tmp_path: Path) -> None:
        path = tmp_path / "Short Breaks.html"
        path.write_text(PAGE, encoding="utf-8")
        [doc] = read_path(path)
        assert doc.text == PAGE_TEXT
        assert heading_texts(doc) == [("Short breaks for carers", 1), ("Findings", 2)]
        assert doc.metadata.title == "Carers & Respite"
        assert doc.media_type == "text/html"
        assert doc.hard_wrapped is False
        assert doc.doc_id == "short-breaks"
        assert doc.source_path == str(path)

    def test_script_style_and_nav_dropped(self, tmp_path: Path) -> None:
        path = tmp_path / "page.html"
        path.write_text(PAGE, encoding="utf-8")
        [doc] = html_reader.read(path, path.read_bytes())
        for hidden in ("do not index", "also hidden", "color: red", "Home", "About"):
            assert hidden not in doc.text

    def test_title_falls_back_to_first_h1(self, tmp_path: Path) -> None:
        path = tmp_path / "page.html"
        data = b"<html><body><h2>Intro</h2><h1>Main title</h1><p>Body.</p></body></html>"
        [doc] = html_reader.read(path, data)
        assert doc.metadata.title == "Main title"
        assert heading_texts(doc) == [("Intro", 2), ("Main title", 1)]

    def test_txt_file_holding_html_is_read_as_html(self, tmp_path: Path) -> None:
        path = tmp_path / "saved-page.txt"
        path.write_text(PAGE, encoding="utf-8")
        [doc] = read_path(path)
        assert doc.media_type == "text/html"
        assert doc.text == PAGE_TEXT

    def test_meta_charset_is_honoured(self, tmp_path: Path) -> None:
        path = tmp_path / "legacy.htm"
        path.write_bytes('<html><head><meta charset="windows-1252"></head><body><p>Fee £30 – “weekly”</p>'
                         "</body></html>".encode("cp1252"))
        [doc] = read_path(path)
        assert doc.text == "Fee £30 – “weekly”"

    def test_bad_utf8_without_charset_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "latin.html"
        path.write_bytes("<html><body><p>Fee £30</p></body></html>".encode("latin-1"))
        with pytest.raises(UnsupportedFile, match=r"latin\.html.*not valid UTF-8"):
            read_path(path)


class TestPdfReader:
    def test_text_and_metadata(self, tmp_path: Path) -> None:
        path = tmp_path / "Evaluation Summary.pdf"
        path.write_bytes(make_pdf(["Carers reported less strain.", "Costs fell by 12 (per cent)."],
                                  title="Respite evaluation", author="A. Smith; B. Jones"))
        [doc] = read_path(path)
        assert "Carers reported less strain." in doc.text
        assert "Costs fell by 12 (per cent)." in doc.text
        assert doc.text.index("Carers") < doc.text.index("Costs")
        assert doc.metadata.title == "Respite evaluation"
        assert doc.metadata.authors == ("A. Smith", "B. Jones")
        assert doc.media_type == "application/pdf"
        assert doc.hard_wrapped is True
        assert doc.doc_id == "evaluation-summary"

    def test_read_directly_without_metadata(self, tmp_path: Path) -> None:
        path = tmp_path / "plain.pdf"
        data = make_pdf(["Hello carers"])
        [doc] = pdf_reader.read(path, data)
        assert doc.text == "Hello carers"
        assert doc.metadata.title is None
        assert doc.metadata.authors == ()

    def test_pdf_with_other_extension_is_sniffed(self, tmp_path: Path) -> None:
        path = tmp_path / "download.bin"
        path.write_bytes(make_pdf(["Sniffed by content"]))
        [doc] = read_path(path)
        assert doc.media_type == "application/pdf"
        assert "Sniffed by content" in doc.text

    def test_garbage_pdf_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "broken.pdf"
        path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
        with pytest.raises(UnsupportedFile, match=r"broken\.pdf.*PDF that cannot be read"):
            read_path(path)

    def test_truncated_pdf_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "truncated.pdf"
        path.write_bytes(make_pdf(["Cut short"])[:40])
        with pytest.raises(UnsupportedFile, match=r"truncated\.pdf.*PDF that cannot be read"):
            pdf_reader.read(path, path.read_bytes())

    def test_pdf_without_text_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "scan.pdf"
        path.write_bytes(make_pdf([]))
        with pytest.raises(UnsupportedFile, match=r"scan\.pdf.*no extractable text"):
            read_path(path)


def make_docx(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Direct payments review"
    document.core_properties.author = "C. Brown"
    document.add_paragraph("Direct Payments", style="Title")
    document.add_heading("Background", level=1)
    document.add_paragraph("Take-up  rose in 2012.")
    document.add_paragraph("More choice", style="List Bullet")
    document.add_paragraph("Less paperwork", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Council", "Take-up"), ("Leeds", "14%")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_heading("Conclusions", level=2)
    document.add_paragraph("Keep going.")
    document.save(str(path))


DOCX_TEXT = (
    "Direct Payments\n\n"
    "Background\n\n"
    "Take-up rose in 2012.\n\n"
    "- More choice\n\n"
    "- Less paperwork\n\n"
    "Council | Take-up\n\n"
    "Leeds | 14%\n\n"
    "Conclusions\n\n"
    "Keep going."
)


class TestDocxReader:
    def test_text_headings_and_metadata(self, tmp_path: Path) -> None:
        path = tmp_path / "Review.docx"
        make_docx(path)
        [doc] = read_path(path)
        assert doc.text == DOCX_TEXT
        assert heading_texts(doc) == [("Direct Payments", 1), ("Background", 1), ("Conclusions", 2)]
        assert doc.metadata.title == "Direct payments review"
        assert doc.metadata.authors == ("C. Brown",)
        assert doc.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert doc.hard_wrapped is False
        assert doc.doc_id == "review"

    def test_read_directly(self, tmp_path: Path) -> None:
        path = tmp_path / "review.docx"
        make_docx(path)
        [doc] = docx_reader.read(path, path.read_bytes())
        assert doc.text == DOCX_TEXT

    def test_garbage_docx_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "damaged.docx"
        path.write_bytes(b"PK\x03\x04" + b"not really a zip archive" * 20)
        with pytest.raises(UnsupportedFile, match=r"damaged\.docx"):
            read_path(path)
        with pytest.raises(UnsupportedFile, match=r"damaged\.docx.*Word document that cannot be read"):
            docx_reader.read(path, path.read_bytes())
