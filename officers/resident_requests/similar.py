"""Similar open requests: before a resident files a request, the form shows up to SIMILAR_LIMIT open
requests of the same community whose text is close to what was typed, so that the resident may add
"我也遇到了" to one instead of filing the same problem again.

On PostgreSQL the text similarity is pg_trgm's (`word_similarity()`: the typed text against the closest stretch
of each request's, which suits Chinese written without spaces; the extension is created by migration 0005);
elsewhere (SQLite) a simpler match: the share of the typed text's character pairs found in each of the
community's latest open requests (Chinese has no spaces, so pairs of characters stand in for words)."""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection

from .models import ResidentRequest

SIMILAR_LIMIT = 5
MIN_SIMILARITY = 0.15  # below this, two texts are not about the same thing
SCAN_LIMIT = 200  # the open requests of one community read by the simpler match


def _pairs(text: str) -> set[str]:
    text = "".join(ch for ch in (text or "") if ch.isalnum())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def pair_similarity(typed: str, other: str) -> float:
    """The share of the typed text's character pairs that `other` holds (0 to 1)."""
    mine = _pairs(typed)
    return len(mine & _pairs(other)) / len(mine) if mine else 0.0


def similar_open(*, community, text: str, category: str = "") -> list[ResidentRequest]:
    """Up to SIMILAR_LIMIT open requests of `community` like `text`, the most similar first (one query)."""
    text = (text or "").strip()[:1000]
    if len(_pairs(text)) < 2:
        return []
    candidates = ResidentRequest.objects.open().filter(community=community)
    if connection.vendor == "postgresql":
        found = (
            candidates.annotate(similarity=TrigramWordSimilarity(text, "description"))
            .filter(similarity__gte=MIN_SIMILARITY)
            .order_by("-similarity", "-submitted_at")[:SIMILAR_LIMIT]
        )
        return list(found)
    latest = list(candidates.order_by("-submitted_at")[:SCAN_LIMIT])
    scored = [(pair_similarity(text, item.description), item) for item in latest]
    scored = [(score, item) for score, item in scored if score >= MIN_SIMILARITY]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].submitted_at.timestamp()))
    return [item for _score, item in scored[:SIMILAR_LIMIT]]
