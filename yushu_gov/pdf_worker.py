"""The PDF renderer's own process (python -m yushu_gov.documents.pdf_worker), started and fed by yushu_gov/documents/pdf.py.

It renders HTML with WeasyPrint, one job at a time, and knows nothing of Django: a job is a JSON line
({"length", "base_url", "stylesheet"}) followed by that many bytes of HTML; the answer is a JSON line
({"ok", "length" | "error"}) followed by the PDF. A job that runs past its time budget is ended by the web
process killing this one, which no code inside a web worker could do to itself. It fetches nothing from
the network: a document may embed data: URLs only.
"""

import json
import os
import resource
import sys

# A runaway layout is stopped by its time budget; its memory by this bound.
MEMORY_LIMIT_BYTES = 2 * 1024**3


def _fetcher():
    """Refuses every URL but data: (nothing is fetched from the network or the disk)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 66 takes a function
        from weasyprint.urls import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if url.startswith("data:"):
                return default_url_fetcher(url, *args, **kwargs)
            raise ValueError(f"PDF documents fetch nothing: {url[:80]}")

        return fetch
    return URLFetcher(allowed_protocols={"data"})


class Warm:
    """What the documents share, kept for the life of the process: one font configuration (the fonts found and
    opened once, not for every document: the CJK fonts are large) and the parsed stylesheet, parsed again when
    its file changes."""

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.stylesheets = {}

    def stylesheet(self, path: str):
        from weasyprint import CSS

        key = (path, os.stat(path).st_mtime_ns)
        if key not in self.stylesheets:
            self.stylesheets = {k: v for k, v in self.stylesheets.items() if k[0] != path}
            self.stylesheets[key] = CSS(filename=path, font_config=self.font_config)
        return self.stylesheets[key]


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    from weasyprint import HTML

    fetcher = _fetcher()
    warm = Warm()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while header := stdin.readline():
        job = json.loads(header)
        html = stdin.read(job["length"]).decode()
        try:
            pdf = HTML(string=html, base_url=job["base_url"], url_fetcher=fetcher).write_pdf(
                stylesheets=[warm.stylesheet(job["stylesheet"])], font_config=warm.font_config
            )
        except Exception as exc:  # noqa: BLE001 (any failure is reported to the web process)
            stdout.write(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}).encode() + b"\n")
        else:
            stdout.write(json.dumps({"ok": True, "length": len(pdf)}).encode() + b"\n" + pdf)
        stdout.flush()


if __name__ == "__main__":
    main()
