"""Departments of the bureau and the people in them, each with one role."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from departments.people import display_name, validate_phone


class Department(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", _("Bureau office")
        DEPARTMENT = "department", _("Department")
        UNIT = "unit", _("Subordinate unit")

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    staff_may_submit = models.BooleanField(
        _("staff may submit"),
        default=False,
        help_text=_("Let staff submit entries directly, without the department head."),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in the bureau. One per user: a person works in one department.

    Also who the person is, their name (姓名) and phone: every page that shows a person
    already loads the membership with the user (the sign-in backend, the selectors' joins),
    so the name comes at no extra query, where a profile table would cost one more join
    everywhere. `departments.people.display_name` is the one rule for showing a person."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Department staff")
        HEAD = "head", _("Department head")
        REVIEWER = "reviewer", _("Bureau office reviewer")
        ADMIN = "admin", _("Administrator")
        # 保密审查: passes or refuses what the office proposes to publish. Not an office role:
        # whoever proposes a publication must not be the one who passes it.
        CONFIDENTIALITY = "confidentiality", _("Confidentiality reviewer (保密审查)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(
        _("full name"),
        max_length=50,
        blank=True,
        help_text=_("Shown on every page, message and export instead of the username."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_("A mainland mobile number, or a landline with its area code."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["department__order", "user__username"]
        constraints = [
            models.CheckConstraint(
                name="membership_department_role_needs_department",
                condition=~Q(role__in=["staff", "head"]) | Q(department__isnull=False),
            ),
        ]

    def __str__(self):
        where = self.department.name if self.department_id else "—"
        return f"{display_name(self.user)} · {where} · {self.get_role_display()}"


class DepartmentAlias(models.Model):
    """Another name a plan uses for a department (市交通局 for 局办公室's parent, an old
    name, a short form). Chosen once when a plan is brought in; later imports read the
    name as that department."""

    name = models.CharField(_("name in the plan"), max_length=100, unique=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("department"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("department alias")
        verbose_name_plural = _("department aliases")
        ordering = ["department__order", "name"]

    def __str__(self):
        return f"{self.name} → {self.department.name}"
