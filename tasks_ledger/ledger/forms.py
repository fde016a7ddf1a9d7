"""The browser's ledger forms. They only shape and check input; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from tasks_ledger import errors
from tasks_ledger.ledger.evidence_files import evidence_file_check
from tasks_ledger.ledger.models import Evidence, LedgerEntry


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EntryForm(forms.ModelForm):
    """An entry's text plus any new evidence: links and 文号 one a line, and files."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://"}),
        help_text=_("One web address a line."),
    )
    doc_numbers = forms.CharField(
        label=_("Document numbers (文号)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "宿交发〔2016〕12号"}),
        help_text=_("One document number a line."),
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("PDF, Word, Excel, JPG, PNG, OFD or ZIP."),
    )

    class Meta:
        model = LedgerEntry
        fields = ["happened_on", "summary", "status", "problems", "next_steps"]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_links(self):
        links = _lines(self.cleaned_data.get("links", ""))
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a full web address (http:// or https://)."),
                    params={"link": link},
                ) from None
        return links

    def clean_doc_numbers(self):
        return _lines(self.cleaned_data.get("doc_numbers", ""))

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        for file in files:
            try:
                evidence_file_check(file)
            except errors.Invalid as exc:
                raise ValidationError(exc.errors["file"]) from None
        return files

    def entry_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def evidence_items(self) -> list[dict]:
        """The new evidence, as the ledger's services take it (`evidence_add`'s arguments)."""
        data = self.cleaned_data
        return [
            *({"kind": Evidence.Kind.LINK, "url": link} for link in data["links"]),
            *({"kind": Evidence.Kind.DOC_NUMBER, "doc_number": n} for n in data["doc_numbers"]),
            *({"kind": Evidence.Kind.FILE, "file": file} for file in data["files"]),
        ]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for return"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
