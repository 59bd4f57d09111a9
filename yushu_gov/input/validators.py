"""Validators for Chinese identifiers: citizen ID numbers (GB 11643-1999) and mobile numbers."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The help beside every field checked by validate_tibetan.
TIBETAN_HELP = _("可选；用藏文书写，显示在居民查询页面和联系卡上。")

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def validate_id_number(value: str) -> None:
    """An 18-character citizen ID number with a valid birth date and GB 11643 check digit.
    The message never repeats the number."""
    value = normalize_id_number(value)
    if not _ID_RE.match(value):
        raise ValidationError(_("身份证号码应为18位：前17位为数字，最后一位为数字或X。"), code="id_format")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > date.today():  # noqa: DTZ011 (a calendar date, no time zone)
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date")
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="id_checksum")


def validate_mobile(value: str) -> None:
    if not _MOBILE_RE.match((value or "").strip()):
        raise ValidationError(_("手机号码应为以1开头的11位数字。"), code="mobile")


_DOC_NO_RE = re.compile(r"^[\u4e00-\u9fff]{2,12}〔(19|20)\d{2}〕\d{1,4}号$")
_OPENING = str.maketrans(
    {"[": "〔", "［": "〔", "(": "〔", "（": "〔", "【": "〔", "]": "〕", "］": "〕", ")": "〕", "）": "〕", "】": "〕"}
)


def normalize_document_no(value: str) -> str:
    """Accepts the brackets people type for 〔〕 (half- and full-width [], (), 【】) and drops spaces."""
    return (value or "").strip().replace(" ", "").replace("\u3000", "").translate(_OPENING)


def validate_document_no(value: str) -> None:
    """An official document number (文号) such as 玉市组〔2022〕12号: issuing body, year in 〔〕, number, 号."""
    if not _DOC_NO_RE.match(normalize_document_no(value)):
        raise ValidationError(_("文号格式应为“机关代字〔年份〕序号号”，例如：玉市组〔2022〕12号。"), code="document_no")


MAX_PHOTO_BYTES = 5 * 1024 * 1024


def validate_photo_size(file) -> None:
    if file and getattr(file, "size", 0) > MAX_PHOTO_BYTES:
        raise ValidationError(_("照片不能超过5MB。"), code="photo_size")


_TIBETAN_RE = re.compile(r"^[\u0F00-\u0FFF\s]+$")


def validate_tibetan(value: str) -> None:
    """A name written in Tibetan script (U+0F00–U+0FFF), with spaces."""
    if value and not _TIBETAN_RE.match(value):
        raise ValidationError(_("请用藏文书写（只能包含藏文字符和空格）。"), code="tibetan")
