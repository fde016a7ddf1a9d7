from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from departments.models import Department, DepartmentAlias, Membership

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
    list_display = ["name", "department", "created_by", "created_at"]
    search_fields = ["name", "department__name"]
    autocomplete_fields = ["department"]
    list_select_related = ["department", "created_by"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "department__name"]
    autocomplete_fields = ["user", "department"]
    list_select_related = ["user", "department"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 0
    min_num = 0


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class BureauUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "email", "is_active", "role"]
    list_filter = ["is_active", "membership__role", "membership__department"]
    list_select_related = ["membership", "membership__department"]

    @admin.display(description=_("role"))
    def role(self, user):
        membership = getattr(user, "membership", None)
        return str(membership) if membership else "—"
