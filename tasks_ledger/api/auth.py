"""Signing in to the API: /api/auth/token/ exchanges a username and password for the
account's token. Registered in tasks_ledger/api/urls.py."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from departments.access import role_of


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="The account's username.")
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, help_text="Its password."
    )

    def validate(self, attrs):
        # Through authenticate() with the request, so that django-axes counts failures and
        # locks out a guessed password here as it does on the sign-in page.
        user = authenticate(
            request=self.context["request"],
            username=attrs["username"],
            password=attrs["password"],
        )
        if getattr(self.context["request"], "axes_locked_out", False):
            # django-axes refused before checking the password: say so, as the sign-in
            # page does, rather than "wrong password".
            raise exceptions.PermissionDenied(
                _("Too many failed sign-ins: this account or address is locked for a while."),
                code="locked_out",
            )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Unable to sign in with the username and password given."), code="authorization"
            )
        if role_of(user) is None:
            # A token would open nothing (IsMember refuses the account): none is made.
            raise exceptions.PermissionDenied(
                _("This account has no role in the bureau; ask the administrator."),
                code="no_role",
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>` with every request."
    )


class TokenView(APIView):
    """Exchange a username and password for the account's API token."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        summary="Get an API token",
        description="Returns the account's token (created on first use). Requests are "
        "throttled, and failed passwords count towards the sign-in lockout.",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key}, status=status.HTTP_200_OK)
