"""How API requests say who they are (REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES, with
the browser's session). A module of its own: DRF imports it while it loads its views."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class MemberTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, the token read with its user's membership and
    department in the same query, as the browser's session does
    (departments/backends.py): every API request asks who the caller is in the bureau,
    one query instead of three."""

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user__membership__department").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
