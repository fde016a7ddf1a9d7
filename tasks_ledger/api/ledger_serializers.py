"""The ledger's shapes in the API (/api/ledger-entries/, tasks_ledger/api/ledger.py): an
entry and its evidence as read and created, a change with the version read, the workflow's
actions."""

import copy

from django.utils.translation import gettext as _
from rest_framework import serializers

from departments.models import Department
from tasks_ledger.api.people import PersonNameField
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.ledger.selectors import sees_review_notes
from tasks_ledger.ledger.services import VERSION_INVALID
from tasks_ledger.plan.models import Task

# A malformed version is refused in the browser's words (ledger.services.version_from).
VERSION_ERRORS = dict.fromkeys(
    ("invalid", "min_value", "max_value", "max_string_length"), VERSION_INVALID
)


class FieldsBuiltOnce:
    """A ModelSerializer whose fields are built from its model once per class, then copied
    for each instance (as DRF copies the declared ones), instead of built again on every
    API call: 0.3-0.5 ms of each read and write (benchmarks/README.md, session 8). Its
    fields must depend on its class alone, never on the instance or its context."""

    def get_fields(self):
        cls = type(self)
        if "_built_fields" not in cls.__dict__:
            cls._built_fields = super().get_fields()
        return copy.deepcopy(cls._built_fields)


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["kind", "url", "doc_number", "note", "filename"]
        read_only_fields = ["kind", "filename"]
        extra_kwargs = {
            "kind": {"help_text": "link, doc_number or file; set from what is given."},
            "url": {"help_text": "A link to the published work (http or https)."},
            "doc_number": {"help_text": "A document number (文号)."},
            "note": {"help_text": "What the evidence shows."},
            "filename": {
                "help_text": "For an uploaded file: its name. Files are uploaded in the browser."
            },
        }

    def validate(self, attrs):
        url, doc_number = attrs.get("url", ""), attrs.get("doc_number", "")
        if bool(url) == bool(doc_number):
            raise serializers.ValidationError(
                _("Give either a link or a document number."), code="url_or_doc_number"
            )
        return attrs


ENTRY_FIELD_HELP = {
    "id": {"help_text": "Internal id."},
    "happened_on": {"help_text": "The day the work was done."},
    "summary": {"help_text": "What was done."},
    "status": {"help_text": "Progress: not_started, in_progress, done or blocked."},
    "problems": {"help_text": "Problems met."},
    "next_steps": {"help_text": "What comes next."},
    "state": {
        "help_text": "Workflow: draft (seen only by its department), submitted, accepted "
        "(locked) or returned (to be corrected and resubmitted). Changed only by the submit, "
        "accept and return actions."
    },
    "return_reason": {
        "help_text": "Why the office returned it; empty for other departments, whom a "
        "return does not concern."
    },
    "submitted_at": {"help_text": "When it was last submitted."},
    "created_at": {"help_text": "When it was created."},
    "updated_at": {"help_text": "When it last changed."},
}

EVIDENCE_HELP = (
    "Links and document numbers (文号); uploaded files are listed but uploaded in the browser."
)

VERSION_HELP = (
    "Optimistic lock: send back the version you read. If someone saved the entry since, "
    "the write is refused with 409 and the current entry; nothing is overwritten."
)


class LedgerEntrySerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """An entry as read, and the body that creates one."""

    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(),
        help_text="Id of the task. On create it must be assigned to the department (else 400).",
    )
    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        required=False,
        help_text="Code of the department whose ledger this is. On create, defaults to the "
        "caller's own; another department's is refused (403).",
    )
    evidence = EvidenceSerializer(many=True, required=False, help_text=EVIDENCE_HELP)
    author = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Username of who wrote the entry."
    )
    author_name = PersonNameField(source="author", help_text="Name of who wrote the entry.")
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)
    submit = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="On create: submit the entry at once, as the browser's form can (the head, "
        "or staff where the department allows it; anyone else is refused with 403 and "
        "nothing is kept).",
    )

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "task",
            "department",
            "happened_on",
            "summary",
            "status",
            "problems",
            "next_steps",
            "evidence",
            "state",
            "return_reason",
            "version",
            "author",
            "author_name",
            "submitted_at",
            "created_at",
            "updated_at",
            "submit",
        ]
        read_only_fields = ["state", "return_reason", "submitted_at", "created_at", "updated_at"]
        extra_kwargs = ENTRY_FIELD_HELP

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        # A return is between the department and the office (ledger.selectors): others
        # read an empty reason, also once the entry is resubmitted.
        if request is not None and not sees_review_notes(user=request.user, entry=instance):
            data["return_reason"] = ""
        return data


class LedgerEntryUpdateSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A change to an entry: its text and evidence, with the version it was read at. The
    task and department of an entry never change."""

    evidence = EvidenceSerializer(
        many=True,
        required=False,
        help_text=EVIDENCE_HELP + " When given, the list replaces the entry's links and "
        "document numbers; uploaded files are kept. Leave it out to keep them all.",
    )
    version = serializers.IntegerField(
        min_value=1,
        error_messages=VERSION_ERRORS,
        help_text="Required on every change. " + VERSION_HELP,
    )

    class Meta:
        model = LedgerEntry
        fields = [
            "happened_on",
            "summary",
            "status",
            "problems",
            "next_steps",
            "evidence",
            "version",
        ]
        extra_kwargs = ENTRY_FIELD_HELP


class EntryActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        error_messages=VERSION_ERRORS,
        help_text="The version read; when given, a newer stored version refuses the action "
        "with 409.",
    )


class EntryReturnSerializer(EntryActionSerializer):
    reason = serializers.CharField(help_text="Why the entry goes back to its department.")
