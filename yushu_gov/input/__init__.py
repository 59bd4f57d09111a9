"""Input: what clerks and residents type, read the way they type it. Dates and times (`forms`), ID numbers,
mobiles, document numbers and Tibetan (`validators`), database constraints as messages (`constraints`), pinyin
search keys (`pinyin`), Shanghai months and year bounds (`months`), and forms sent twice saved once
(`idempotency`, with its `models`).

Imports no other wing of the kernel and no app.
"""
