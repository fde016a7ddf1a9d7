"""How a person is shown: by their name (姓名), never their username. The one rule every
page, message, export, API field and admin list uses; the username stands in only when the
administrator has not set a name yet. And the one rule for a phone number.

The name and phone live on the user's `Membership` (see its docstring for why)."""

import re

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

# Mainland mobile: 11 digits from 13x to 19x. Landline: the area code (010, 02x, 0xxx) then a
# 7- or 8-digit number, an extension after a hyphen allowed. Spaces and hyphens between the
# groups are how people write them (0527-8436 7000); they are kept as typed.
MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
LANDLINE = re.compile(r"0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?", re.ASCII)


def display_name(user) -> str:
    """The name to show for `user` (or "" for nobody). Reads `user.membership`, which the
    sign-in backend and the selectors load with the user (select_related), so it costs no
    query of its own there."""
    if user is None:
        return ""
    membership = getattr(user, "membership", None) if user.pk else None
    name = membership.name if membership is not None else ""
    return name or user.get_username()


def display_name_expression(path: str):
    """The same rule in the database, for values() queries and exports: `path` is the
    relation to the user (`author`), and the result its name or else its username."""
    return Coalesce(NullIf(F(f"{path}__membership__name"), Value("")), F(f"{path}__username"))


def with_names(path: str) -> str:
    """The select_related path that brings a user's name along: `author` → its membership."""
    return f"{path}__membership"


def validate_phone(value: str) -> None:
    digits = re.sub(r"[\s-]", "", value)
    if MOBILE.fullmatch(digits):
        return
    if LANDLINE.fullmatch(re.sub(r"\s", "", value)) or LANDLINE.fullmatch(digits):
        return
    raise ValidationError(
        _(
            "Enter a mainland mobile number (11 digits starting with 1) or a landline "
            "with its area code, such as 0527-84367000."
        ),
        code="phone",
    )


def person_column(model, field: str):
    """An admin list column showing the user in `model.field` by name, headed by the
    field's own label; pair it with `with_names(field)` in the admin's list_select_related."""

    def column(obj):
        return display_name(getattr(obj, field))

    column.short_description = model._meta.get_field(field).verbose_name
    column.admin_order_field = f"{field}__membership__name"
    return column
