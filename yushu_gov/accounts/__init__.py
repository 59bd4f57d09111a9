"""Accounts: the user and how they sign in. The user and the state of their password and second factor
(`models`), creating accounts and assigning roles (`services`), the password policy (`passwords`), one session
per account (`sessions`), the second factor (`two_factor`), the login audit entries (`signals`) and the
second factor's form (`forms`).

Imports only the `security`, `access`, `input` and `audit` wings; no app. The account pages are in `web`.
"""
