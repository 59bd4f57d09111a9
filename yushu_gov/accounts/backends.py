"""The sign-in backend: Django's, with the user's area read with the user (every page's scope needs its path)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("area").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
