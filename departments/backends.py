"""Sign-in backend: Django's ModelBackend, loading the user's place in the bureau with them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        # Every signed-in page asks who the user is in the bureau (permissions, the header):
        # one joined query per request instead of three.
        User = get_user_model()
        try:
            user = User._default_manager.select_related("membership__department").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
