"""Audit: the append-only, hash-chained log (`models`, `chain`), writing it and reading it back with the
actions' Chinese names (`log`), the auditor's filters (`filters`), and the retention rules whose deletions it
records (`retention`).

Imports only the `security`, `input` and `lists` wings; no app. The log's pages are in `web`.
"""
