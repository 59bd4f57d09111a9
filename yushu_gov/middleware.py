from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy of settings.CONTENT_SECURITY_POLICY: only 'self', so every
    script and stylesheet must be served from static/ (no inline code, no CDN)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
