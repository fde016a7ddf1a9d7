from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from departments.models import Department, DepartmentAlias, Membership
from departments.people import display_name, person_column, with_names

admin.site.site_header = _("Disclosure-plan tracker administration")
admin.site.site_title = _("Disclosure-plan tracker")
admin.site.index_title = _("Administration")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "order", "active", "staff_may_submit"]
    list_editable = ["order", "active", "staff_may_submit"]
    list_filter = ["kind", "active", "staff_may_submit"]
    search_fields = ["name", "code"]


@admin.register(DepartmentAlias)
class DepartmentAliasAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "department",
        person_column(DepartmentAlias, "created_by"),
        "created_at",
    ]
    search_fields = ["name", "department__name"]
    autocomplete_fields = ["department"]
    list_select_related = ["department", with_names("created_by")]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "phone", "department", "role"]
    list_display_links = ["name", "user"]
    list_filter = ["role", "department"]
    search_fields = ["name", "phone", "user__username", "department__name"]
    autocomplete_fields = ["user", "department"]
    list_select_related = ["user", "department"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 0
    min_num = 0


# Django stores a permission's name in English when it migrates ("Can add ledger entry"):
# the admin shows it as the model's translated name and the action.
PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in PERMISSION_ACTIONS:
        return str(permission)
    opts = model._meta
    # django-simple-history names its models "historical …" in English once, at import.
    history_of = getattr(model, "instance_type", None)
    name = (
        _("History of %(model)s") % {"model": history_of._meta.verbose_name}
        if history_of
        else opts.verbose_name
    )
    return "{} | {}".format(
        apps.get_app_config(opts.app_label).verbose_name,
        PERMISSION_ACTIONS[action] % {"model": name},
    )


class TranslatedPermissions:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


User = get_user_model()
WESTERN_NAME = ("first_name", "last_name")
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class BureauGroupAdmin(TranslatedPermissions, GroupAdmin):
    pass


@admin.register(User)
class BureauUserAdmin(TranslatedPermissions, UserAdmin):
    inlines = [MembershipInline]
    # The name first: the username stays beside it here only, the one screen where it is
    # what is being administered (the sign-in name).
    list_display = ["name", "username", "phone", "email", "is_active", "role"]
    list_display_links = ["name", "username"]
    search_fields = ["username", "membership__name", "membership__phone", "email"]
    list_filter = ["is_active", "membership__role", "membership__department"]
    list_select_related = ["membership", "membership__department"]

    # The name and phone are edited in the membership below; the name fields Django's own
    # form carries (first/last, in the Western order) would be a second, unused place.
    fieldsets = [
        (title, {**options, "fields": [f for f in options["fields"] if f not in WESTERN_NAME]})
        for title, options in UserAdmin.fieldsets
    ]

    @admin.display(description=_("full name"), ordering="membership__name")
    def name(self, user):
        return display_name(user)

    @admin.display(description=_("phone"))
    def phone(self, user):
        membership = getattr(user, "membership", None)
        return membership.phone if membership and membership.phone else "—"

    @admin.display(description=_("role"))
    def role(self, user):
        membership = getattr(user, "membership", None)
        if membership is None:
            return "—"
        where = membership.department.name if membership.department_id else "—"
        return f"{where} · {membership.get_role_display()}"
