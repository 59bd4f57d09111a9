from django.utils.translation import gettext_lazy as _

# Date fields accept 2016-09-05, 2016/9/5 and 2016年9月5日 (yushu_gov/formats).
DATE_PLACEHOLDER = _("如 2016-09-05 或 2016年9月5日")
