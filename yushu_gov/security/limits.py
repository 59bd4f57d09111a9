"""Upper bounds of free text, in characters. Every free-text field has one, on its model (a validator, so that
a service's full_clean refuses it too) and on its form (max_length, so that the page says so): a talk of
100,000 characters is refused with a message, never stored, and every PDF renders within its time budget.
(CharFields carry their bound as max_length.)"""

NOTE = 1000  # a nomination's reason, a step's remark, a reason for returning, withdrawing or ending
TALK_CONTENT = 5000  # what was said in a monthly talk
TALK_NOTE = 2000  # the officer's views and requests, the follow-up
WORK_SUMMARY = 2000  # what was done (work ledger)
REPORT_TEXT = 20000  # a duty report (述职报告), about ten pages

# Requests: a query string longer than this answers 414, a body larger than this 413 (uploads are ≤ 10 MB).
MAX_QUERY_STRING = 4096
MAX_REQUEST_BYTES = 12 * 1024 * 1024
