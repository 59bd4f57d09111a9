"""Bounded image decoding (等保): the pixel count is read from the header before a pixel is decoded, a JPEG
decodes at a reduced scale, and an image whose decoding would pass the memory budget is refused with a clear
message; measured in a real process."""

import resource
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from tests.resident_requests.helpers import png_header
from yushu_gov.security.images import MAX_DECODE_BYTES, open_bounded


def _encoded(size, fmt, mode="RGB") -> BytesIO:
    buffer = BytesIO()
    Image.new(mode, size, (20, 120, 200) if mode == "RGB" else 0).save(buffer, format=fmt)
    buffer.seek(0)
    return buffer


def test_a_49_megapixel_png_is_refused_before_it_is_decoded():
    with pytest.raises(ValidationError) as refused:
        open_bounded(BytesIO(png_header(7000, 7000)))
    assert refused.value.code == "photo_memory"
    assert "图片分辨率过高" in refused.value.messages[0] and "改用 JPG" in refused.value.messages[0]


def test_a_large_phone_jpeg_decodes_at_a_reduced_scale():
    image = open_bounded(_encoded((6000, 4000), "JPEG"))  # 24 MP: 216 MB at full scale, over the budget
    assert image.size == (1600, 1067) and image.mode == "RGB"
    assert 6000 * 4000 * 9 > MAX_DECODE_BYTES


def test_an_ordinary_png_is_accepted():
    assert open_bounded(_encoded((2400, 1080), "PNG")).size == (1600, 720)


def test_over_the_pixel_cap_is_refused_by_the_header():
    with pytest.raises(ValidationError) as refused:
        open_bounded(BytesIO(png_header(8000, 7000)))
    assert refused.value.code == "photo_pixels"


CHILD = """
import sys, resource
from io import BytesIO
import django
from django.conf import settings
settings.configure(USE_I18N=False)
django.setup()
from django.core.exceptions import ValidationError
from yushu_gov.security.images import open_bounded
content = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    open_bounded(BytesIO(content))
except ValidationError:
    pass
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_decoding_a_hostile_png_costs_little_memory_in_a_real_process(tmp_path):
    """A 49-megapixel PNG of 47 KB: the worker's peak memory hardly moves (it rose by 194 MB before)."""
    bomb = Image.new("RGB", (7000, 7000))
    path = tmp_path / "bomb.png"
    bomb.save(path, format="PNG", compress_level=9)
    del bomb
    assert path.stat().st_size < 1024 * 1024
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.split()
    before, after = int(out[0]), int(out[1])  # kilobytes
    assert after - before < 20 * 1024, f"peak RSS rose by {(after - before) // 1024} MB"
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss > 0
