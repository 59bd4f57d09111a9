"""The demo's partner key: the fictional 12345 hotline of the demo, allowed to post Open311 requests and work
orders. Its key is fixed and published (printed by `load_demo_data`, so by `make run`), like the demo
accounts' password: demo data only, refused with DEBUG off."""

from officers.open311.models import PartnerKey
from officers.open311.services import key_hash, partner_key_issue

DEMO_PARTNER_NAME = "12345热线（演示）"
DEMO_PARTNER_KEY = "ys311_demo_12345_hotline_key_0001"


def load(*, by) -> str:
    """Issues the demo key once; returns it."""
    if not PartnerKey.objects.filter(key_hash=key_hash(DEMO_PARTNER_KEY)).exists():
        partner_key_issue(name=DEMO_PARTNER_NAME, by=by, may_post=True, may_work_orders=True, raw=DEMO_PARTNER_KEY)
    return DEMO_PARTNER_KEY
