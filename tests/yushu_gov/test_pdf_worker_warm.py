"""The PDF renderer keeps what every document shares (yushu_gov/documents/pdf_worker.py): one font configuration and
the parsed stylesheet, parsed again only when its file changes."""

import os

from yushu_gov.documents.pdf_worker import Warm


def test_the_stylesheet_is_parsed_once_and_again_after_a_change(tmp_path):
    path = tmp_path / "pdf.css"
    path.write_text("body { font-size: 12pt; }")
    warm = Warm()
    first = warm.stylesheet(str(path))
    assert warm.stylesheet(str(path)) is first
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = warm.stylesheet(str(path))
    assert changed is not first
    assert warm.stylesheet(str(path)) is changed
    assert len(warm.stylesheets) == 1  # the stale one is dropped


def test_documents_share_the_font_configuration():
    from weasyprint import HTML

    warm = Warm()
    css = os.path.join(os.path.dirname(__file__), "..", "..", "static", "css", "pdf.css")
    pdfs = [
        HTML(string=f"<h1>任命书</h1><p>第{n}号</p>").write_pdf(
            stylesheets=[warm.stylesheet(css)], font_config=warm.font_config
        )
        for n in (1, 2)
    ]
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    assert pdfs[0] != pdfs[1]  # each document its own text
