"""Documents: files that leave the system. PDFs rendered in a separate process (`pdf`, `pdf_worker`), .xlsx
workbooks (`xlsx`), and exports written in the background with their task (`export_jobs`, `models`), each app
registering its kinds of export.

Imports only the `security`, `access`, `input` and `audit` wings; no app. The export pages are in `web`.
"""
