"""A resident's photo, made safe to keep: at most 5 MB, a real JPEG, PNG or WebP image decoded within the
memory budget of `yushu_gov.security.images.open_bounded` (pixels counted from the header before a pixel is
decoded), and written again as a plain JPEG of at most 1600 px with no metadata at all — the camera's EXIF
block (GPS position, time, device), comments and colour profiles are dropped. The bytes the resident sent are
never stored. Any upload path of the residents' requests calls `clean_photo`."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from yushu_gov.input.validators import validate_photo_size
from yushu_gov.security.images import Budget, open_bounded


def clean_photo(upload, *, budget: Budget | None = None) -> ContentFile:
    """The photo re-encoded without metadata, or a ValidationError a resident understands."""
    validate_photo_size(upload)
    image = open_bounded(upload, budget=budget)
    clean = Image.new("RGB", image.size)
    clean.paste(image)  # a new image: nothing of the original's info (EXIF, comments, ICC) comes along
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")
