"""Home: what each role sees first. The panels (`panels`) and the to-do list (`todo`) that the apps register
in their AppConfig.ready(), so that the kernel depends on no app.

Imports only the `access` wing; no app.
"""
