"""Decoding an uploaded image within a memory budget, for every upload path (a request's photos, any later one).

A compressed image says nothing of what it costs to decode: a 47 KB PNG can claim 49 megapixels, 147 MB as
RGB and twice that while it is converted. Pillow's `Image.open` reads only the header, so the size is known
before a pixel is decoded: `open_bounded` refuses an image past `max_pixels`, asks a JPEG to decode at a
reduced scale (DCT scaling: a 48-megapixel phone photo decodes at 1/4 or 1/8 of its size), and refuses an
image whose decoding would still need more than `max_decode_bytes` (a PNG or WebP decodes at full size),
each with a message the sender understands. Only then is it decoded, turned upright, converted to RGB and
scaled down to `max_side`.
"""

import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo passes the header check; a "decompression bomb" does not
MAX_DECODE_BYTES = 80 * 1024 * 1024  # what decoding one image may hold at once
MAX_SIDE = 1600
FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})  # MPO: the multi-picture JPEG some phones write
# Bytes a pixel holds while it is decoded (its own mode) and converted (RGB, and an upright copy).
_WORKING_BYTES_PER_PIXEL = 3 + 3


@dataclass(frozen=True)
class Budget:
    max_pixels: int = MAX_PIXELS
    max_decode_bytes: int = MAX_DECODE_BYTES
    max_side: int = MAX_SIDE


def unreadable() -> ValidationError:
    return ValidationError(_("无法识别的图片，请上传 JPG 或 PNG 格式的照片。"), code="photo_format")


def decoding_bytes(image: Image.Image) -> int:
    """What decoding `image` (as opened, after any draft) and converting it to RGB would hold at once."""
    width, height = image.size
    return width * height * (len(image.getbands()) + _WORKING_BYTES_PER_PIXEL)


def _check(image: Image.Image, budget: Budget) -> None:
    if image.format not in FORMATS:
        raise unreadable()
    width, height = image.size
    if width * height > budget.max_pixels:
        raise ValidationError(
            _("照片尺寸过大，请上传不超过%(n)s万像素的照片。") % {"n": budget.max_pixels // 10_000},
            code="photo_pixels",
        )
    # A JPEG decodes at the smallest DCT scale that still covers the final size: far less memory.
    image.draft("RGB", _fitted((width, height), budget.max_side))
    if decoding_bytes(image) > budget.max_decode_bytes:
        per_pixel = len(image.getbands()) + _WORKING_BYTES_PER_PIXEL
        raise ValidationError(
            _(
                "图片分辨率过高（%(n)s万像素），超出服务器可处理的范围："
                "请改用 JPG 格式，或缩小到%(max)s万像素以内再上传。"
            )
            % {"n": width * height // 10_000, "max": budget.max_decode_bytes // per_pixel // 10_000},
            code="photo_memory",
        )


def _fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, side / max(width, height, 1))
    return max(1, int(width * scale)), max(1, int(height * scale))


def open_bounded(upload, *, budget: Budget | None = None) -> Image.Image:
    """The upload decoded as an upright RGB image no larger than `budget.max_side`, or a ValidationError a
    resident understands (not an image, too many pixels, too costly to decode). `upload`: a file object."""
    budget = budget or Budget()
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (and refuses past twice its own limit) on images that would fill the memory.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)  # the header only
            _check(image, budget)
            image = ImageOps.exif_transpose(image)  # keep the picture upright; the orientation tag goes
            image = image.convert("RGB")
            image.thumbnail((budget.max_side, budget.max_side))
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise unreadable() from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # truncated or corrupt files
        raise unreadable() from exc
    return image
