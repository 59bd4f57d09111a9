"""Web: the kernel's faces. The home page, the audit log's pages and export, the account and export pages,
the middleware, the navigation, the error pages, the deployment checks and the admin site's registrations.

The top wing: it may import every wing below; none imports it, and it imports no app.
"""
