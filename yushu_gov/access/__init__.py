"""Access: who may do what. The roles and the user's role (`roles`), the one table of rights and the scoping
of querysets, 404 outside a user's scope and 403 inside it without the right (`rights`).

Imports no other wing of the kernel and no app.
"""
