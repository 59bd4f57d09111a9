# English keeps the input formats a Chinese clerk types, so that switching language loses nothing;
# only the display formats differ.
from yushu_gov.formats.zh_Hans.formats import *  # noqa: F403

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
