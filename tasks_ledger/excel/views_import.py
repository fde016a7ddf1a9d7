"""The ledger import pages: upload an .xlsx 台账, see the preview (every row's task, what it
would do, every error by sheet, row and column), change a row's task, apply.

The uploaded file is refused before parsing when it is too large or a zip bomb
(disclosure.uploads). Between the preview and the apply it is kept in the media storage
under a random name known only to the uploader's session, so the apply reads exactly the
file that was previewed.
"""

import datetime
import uuid

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.access import department_of, is_office, reader_required
from departments.models import Department
from disclosure.storage import STORE_ERRORS, StoreUnavailable, delete_stored, unavailable_message
from disclosure.uploads import UnsafeFile, check_import, check_size
from tasks_ledger.excel.ledger_import import (
    ImportRefused,
    Kind,
    build_preview,
    ledger_import_apply,
)
from tasks_ledger.excel.ledger_sheet import SheetError
from tasks_ledger.plan.models import Plan, Task

SESSION_KEY = "ledger_import"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel ledger (.xlsx)"))
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.filter(active=True),
        required=False,
        help_text=gettext_lazy("For rows whose sheet or 责任处室 names no department."),
    )
    default_date = forms.DateField(
        label=gettext_lazy("Date of the work"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("For rows without a date of their own."),
    )

    def __init__(self, *args, office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not office:
            del self.fields["department"]  # a department imports into its own ledger


def _preview_page(request, *, stored, plan, choices=None, error=None):
    department = (
        Department.objects.filter(pk=stored["department"]).first()
        if stored["department"]
        else department_of(request.user)
    )
    try:
        with default_storage.open(stored["path"], "rb") as file:
            data = file.read()
    except FileNotFoundError:
        raise  # the caller says the upload is gone
    except STORE_ERRORS as exc:
        raise StoreUnavailable from exc
    preview = build_preview(
        data=data,
        filename=stored["name"],
        by=request.user,
        plan=plan,
        department=department,
        default_date=datetime.date.fromisoformat(stored["date"]) if stored["date"] else None,
        choices=choices,
    )
    return preview, render(
        request,
        "excel/ledger_import_preview.html",
        {
            "preview": preview,
            "counts": preview.counts(),
            "tasks": Task.objects.filter(plan=plan).with_code(),
            "Kind": Kind,
            "error": error,
        },
    )


def _choices(request) -> dict[str, str]:
    return {
        key.removeprefix("task:"): value
        for key, value in request.POST.items()
        if key.startswith("task:")
    }


@reader_required
def ledger_import(request):
    office = is_office(request.user)
    plan = Plan.objects.current()
    stored = request.session.get(SESSION_KEY)
    action = request.POST.get("action")
    if request.method == "POST" and action in ("preview", "apply") and stored and plan:
        try:
            preview, page = _preview_page(
                request, stored=stored, plan=plan, choices=_choices(request)
            )
            if action == "preview":
                return page
            done = ledger_import_apply(preview=preview, by=request.user)
        except (ImportRefused, SheetError, FileNotFoundError) as exc:
            messages.error(request, str(exc))
            return redirect("ledger-import")
        delete_stored(stored["path"])
        del request.session[SESSION_KEY]
        messages.success(
            request,
            _("Imported from %(file)s: %(created)s new entries, %(updated)s changed.")
            % {"file": stored["name"], **done},
        )
        return redirect("ledger:home")

    form = UploadForm(request.POST or None, request.FILES or None, office=office)
    if request.method == "POST" and form.is_valid() and plan:
        upload = form.cleaned_data["file"]
        try:
            # Size first, from the upload's size: nothing is read of a file too large.
            check_size(name=upload.name, size=upload.size)
            if not upload.name.lower().endswith(".xlsx"):
                raise UnsafeFile(upload.name, _("only .xlsx workbooks are imported"))
            data = upload.read()
            check_import(name=upload.name, data=data)
            path = default_storage.save(
                f"ledger-imports/{uuid.uuid4().hex}.xlsx", ContentFile(data)
            )
        except UnsafeFile as exc:
            form.add_error("file", str(exc))
        except STORE_ERRORS:
            form.add_error("file", unavailable_message())
        else:
            department = form.cleaned_data.get("department")
            day = form.cleaned_data["default_date"]
            stored = {
                "path": path,
                "name": upload.name[:200],
                "department": department.pk if department else None,
                "date": day.isoformat() if day else None,
            }
            request.session[SESSION_KEY] = stored
            try:
                return _preview_page(request, stored=stored, plan=plan)[1]
            except (ImportRefused, SheetError) as exc:
                form.add_error("file", str(exc))
    if request.method == "GET":
        form.initial["default_date"] = timezone.localdate()
    return render(request, "excel/ledger_import.html", {"form": form, "plan": plan})
