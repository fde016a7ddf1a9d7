"""Who may call the API at all, and who may write findings. The rules come from
departments.access, the same helpers the browser's views ask."""

from rest_framework import permissions

from departments.access import is_office, role_of


class IsMember(permissions.BasePermission):
    """Signed in, active, and with a place in the bureau (a membership or superuser)."""

    def has_permission(self, request, view):
        return role_of(request.user) is not None


class OfficeWritesOthersRead(permissions.BasePermission):
    """Any member reads (the view's queryset decides what); only the office writes."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_office(request.user)
