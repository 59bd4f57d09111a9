"""A resident's photo, made safe to keep: at most 5 MB and 50 megapixels, a real JPEG, PNG or WebP image,
decoded with Pillow and written again as a plain JPEG of at most 1600 px with no metadata at all — the
camera's EXIF block (GPS position, time, device), comments and colour profiles are dropped. The bytes the
resident sent are never stored."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from yushu_gov.input.validators import validate_photo_size

MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo passes; a "decompression bomb" does not
MAX_SIDE = 1600
FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}  # MPO: the multi-picture JPEG some phones write


def _unreadable() -> ValidationError:
    return ValidationError(_("无法识别的图片，请上传 JPG 或 PNG 格式的照片。"), code="photo_format")


def clean_photo(upload) -> ContentFile:
    """The photo re-encoded without metadata, or a ValidationError a resident understands."""
    validate_photo_size(upload)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (and refuses past twice its own limit) on images that would fill the memory.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise _unreadable()
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("照片尺寸过大，请上传不超过5000万像素的照片。"), code="photo_pixels")
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale, in less memory
            image = ImageOps.exif_transpose(image)  # keep the picture upright; the orientation tag goes
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _unreadable() from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # truncated or corrupt files
        raise _unreadable() from exc
    clean = Image.new("RGB", image.size)
    clean.paste(image)  # a new image: nothing of the original's info (EXIF, comments, ICC) comes along
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")
