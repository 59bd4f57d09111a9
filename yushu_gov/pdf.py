"""PDF documents (appointment letters, assessment sheets, talk records, briefings) rendered from templates
with WeasyPrint. Chinese text uses Debian's Noto CJK fonts (fonts-noto-cjk), Tibetan names Noto Serif Tibetan
(fonts-noto-core), both named in static/css/pdf.css.

A PDF rendered without a font for one of its scripts would print that script as empty boxes. Before
rendering, every script the document holds is checked against the fonts installed (fontconfig): a missing
one stops the rendering with PdfFontsMissing, which the middleware turns into a page that says so.

Rendering has a time budget (settings.PDF_TIME_BUDGET_SECONDS): it runs in a renderer process of its own
(yushu_gov/documents/pdf_worker.py, one per web process, started at the first PDF and kept warm), which is killed when
a document takes longer, so that no document can hold a worker; the view then answers with a message
(yushu_gov/web/middleware.py) and the next document starts a fresh renderer.
"""

import atexit
import json
import os
import re
import select
import subprocess
import sys
import threading
import time
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

PDF_STYLESHEET = "css/pdf.css"

# script -> (characters of the script, one to test the fonts with, the Debian package that covers it)
SCRIPTS = {
    "chinese": (re.compile(r"[\u4e00-\u9fff]"), "中", "fonts-noto-cjk"),
    "tibetan": (re.compile(r"[\u0f00-\u0fff]"), "\u0f40", "fonts-noto-core"),
}
SCRIPT_NAMES = {"chinese": _("中文"), "tibetan": _("藏文")}


class PdfFontsMissing(Exception):
    """A script of the document has no installed font (the PDF would print boxes)."""

    def __init__(self, scripts: list[str]):
        self.scripts = scripts
        self.packages = sorted({SCRIPTS[name][2] for name in scripts})
        super().__init__(f"No font for {', '.join(scripts)}: install {' '.join(self.packages)}")

    @property
    def script_names(self) -> str:
        return "、".join(str(SCRIPT_NAMES[name]) for name in self.scripts)


@lru_cache(maxsize=16)
def font_covers(char: str) -> bool:
    """Whether an installed font covers the character (asked of fontconfig, which WeasyPrint's Pango uses).
    Cached for the life of the process: fonts are installed with the system, not while it runs."""
    try:
        result = subprocess.run(
            ["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False  # no fontconfig at all: nothing can be vouched for
    return bool(result.stdout.strip())


def missing_scripts(text: str) -> list[str]:
    return [
        name
        for name, (pattern, sample, _package) in SCRIPTS.items()
        if pattern.search(text) and not font_covers(sample)
    ]


class PdfTooSlow(Exception):
    """The document did not render within the time budget (the renderer was stopped)."""


class PdfFailed(Exception):
    """The renderer could not render the document."""


class _Renderer:
    """The renderer process and the pipe to it; one job at a time (a lock for threaded servers)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.buffer = b""
        atexit.register(self.stop)

    def _started(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "yushu_gov.documents.pdf_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=settings.BASE_DIR,
            )
        return self.process

    def stop(self) -> None:
        process, self.process, self.buffer = self.process, None, b""
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                stream.close()

    def _fill(self, fd: int, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise PdfTooSlow
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            raise PdfFailed("the renderer stopped")
        self.buffer += chunk

    def _read_line(self, fd: int, deadline: float) -> bytes:
        while b"\n" not in self.buffer:
            self._fill(fd, deadline)
        line, _sep, self.buffer = self.buffer.partition(b"\n")
        return line

    def _read_exactly(self, fd: int, size: int, deadline: float) -> bytes:
        while len(self.buffer) < size:
            self._fill(fd, deadline)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def render(self, html: str, *, base_url: str, stylesheet: str, budget: float) -> bytes:
        with self.lock:
            deadline = time.monotonic() + budget
            process = self._started()
            payload = html.encode()
            job = {"length": len(payload), "base_url": base_url, "stylesheet": stylesheet}
            try:
                process.stdin.write(json.dumps(job).encode() + b"\n" + payload)
                process.stdin.flush()
                header = json.loads(self._read_line(process.stdout.fileno(), deadline))
                if not header["ok"]:
                    raise PdfFailed(header["error"])
                return self._read_exactly(process.stdout.fileno(), header["length"], deadline)
            except PdfTooSlow:
                self.stop()  # the only way to stop a layout in progress
                raise
            except (BrokenPipeError, json.JSONDecodeError, PdfFailed):
                self.stop()
                raise


_renderer = _Renderer()


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """The template rendered to PDF bytes within the time budget (PdfTooSlow otherwise), or PdfFontsMissing
    when a script of it has no font. The template should extend "pdf/base.html"."""
    html = render_to_string(template, context, request=request)
    missing = missing_scripts(strip_tags(html))
    if missing:
        raise PdfFontsMissing(missing)
    base_url = request.build_absolute_uri("/") if request is not None else str(settings.BASE_DIR)
    return _renderer.render(
        html,
        base_url=base_url,
        stylesheet=finders.find(PDF_STYLESHEET),
        budget=settings.PDF_TIME_BUDGET_SECONDS,
    )


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
