"""Reference data of the officers app: the qualification standards (DOMAIN.md §4.1), seeded with the six
editable defaults. The article names the standards' spirit but not the items; administrators edit them."""

from django.db import transaction

from communities import reference as communities_reference

from .models import QualificationStandard

DEFAULT_STANDARDS = [
    "中共正式党员、政治立场坚定",
    "现任民警、熟悉辖区社情民意",
    "综合素质强、善于做群众工作和矛盾调解",
    "群众口碑好、近三年年度考核称职以上",
    "无违纪违法记录、未受党纪政务处分",
    "身体健康、能胜任社区工作（熟悉藏汉双语者优先）",
]


@transaction.atomic
def load_standards() -> int:
    """Seeds the defaults once: an administrator's later edits, additions and deactivations are kept."""
    if QualificationStandard.objects.exists():
        return 0
    QualificationStandard.objects.bulk_create(
        [QualificationStandard(text=text, sort_order=i) for i, text in enumerate(DEFAULT_STANDARDS, start=1)]
    )
    return len(DEFAULT_STANDARDS)


def load_reference_data() -> dict:
    """Streets, communities, stations, role groups, and the qualification standards (idempotent)."""
    created = communities_reference.load_reference_data()
    created["standards"] = load_standards()
    return created
