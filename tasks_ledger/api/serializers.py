"""What the API reads and writes. Serializers only shape and check data: the rules (who may
write what, workflow, locking) live in the services the views call."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

from departments.access import role_of
from departments.models import Department
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.ledger.selectors import sees_review_notes
from tasks_ledger.ledger.services import VERSION_INVALID
from tasks_ledger.ledger.status import Light
from tasks_ledger.plan.models import Assignment, Deadline, Plan, ReviewRound, Section, Task
from tasks_ledger.reviews.models import Finding

# A malformed version is refused in the browser's words (ledger.services.version_from).
VERSION_ERRORS = dict.fromkeys(
    ("invalid", "min_value", "max_value", "max_string_length"), VERSION_INVALID
)
# The derived light's values, named for the OpenAPI enum (SPECTACULAR_SETTINGS).
TASK_STATUS_CHOICES = [(light, light) for light in Light.ORDER]


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


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name", "kind", "order", "active"]
        extra_kwargs = {
            "id": {"help_text": "Internal id."},
            "code": {"help_text": "Short stable code, used everywhere the API names a department."},
            "name": {"help_text": "Name as written in the plan (处室 / 单位)."},
            "kind": {
                "help_text": "office: the bureau office; department; unit: a subordinate unit."
            },
            "order": {"help_text": "Position in lists."},
            "active": {"help_text": "Inactive departments keep their history but get no new work."},
        }


class AssignmentSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Code of the department assigned."
    )

    class Meta:
        model = Assignment
        fields = ["department", "role"]
        extra_kwargs = {
            "role": {"help_text": "lead: named first (牵头/负责); partner: joins (会同/配合)."}
        }


class DeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["id", "text", "kind", "due", "amount", "unit", "after", "every"]
        extra_kwargs = {
            "id": {"help_text": "Internal id."},
            "text": {"help_text": "The words of the plan: 2016年9月底前, 3个工作日内, 每季度."},
            "kind": {
                "help_text": "date: by a date; relative: within an amount after an event; "
                "recurring: every period."
            },
            "due": {"help_text": "For kind date: the last day the words allow."},
            "amount": {"help_text": "For kind relative: how many units after the event."},
            "unit": {"help_text": "For kind relative: workday, day or hour."},
            "after": {"help_text": "For kind relative: the event it counts from, as written."},
            "every": {"help_text": "For kind recurring: week, month, quarter, year or periodic."},
        }


class TaskSerializer(serializers.ModelSerializer):
    section_number = serializers.CharField(
        source="section.number", read_only=True, help_text="Number of its section: 一, 二, …"
    )
    code = serializers.CharField(
        read_only=True, help_text="How people cite the task: 二(三), or 二(三)1 for a sub-task."
    )
    assignments = AssignmentSerializer(
        many=True, read_only=True, help_text="The departments assigned, lead first."
    )
    deadlines = DeadlineSerializer(many=True, read_only=True, help_text="Its deadlines.")
    status = serializers.ChoiceField(
        choices=TASK_STATUS_CHOICES,
        read_only=True,
        allow_null=True,
        help_text="Derived status light. For department staff and heads on a task of their "
        "department: their department's light; otherwise the worst light across the task's "
        "departments (overdue, due_soon, blocked, not_filed, awaiting, on_track, done); done "
        "means the office accepted it, awaiting that it is said done and not yet accepted, "
        "not_filed that no entry has been submitted; null when no department is assigned.",
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "section",
            "section_number",
            "parent",
            "number",
            "code",
            "title",
            "body",
            "other_units",
            "assignments",
            "deadlines",
            "status",
        ]
        extra_kwargs = {
            "id": {"help_text": "Internal id; ledger entries name their task by it."},
            "plan": {"help_text": "Id of the plan."},
            "section": {"help_text": "Id of the section."},
            "parent": {"help_text": "Id of the parent task, for a sub-task; else null."},
            "number": {"help_text": "Number as written, without brackets: 一, 二, 1, …"},
            "title": {"help_text": "Its first sentence."},
            "body": {"help_text": "Its whole text after the title, verbatim."},
            "other_units": {"help_text": "Collective references kept as written (各单位)."},
        }


class SectionTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "parent", "number", "title"]
        extra_kwargs = {
            "id": {"help_text": "Id of the task; /api/tasks/{id}/ has the rest."},
            "parent": {"help_text": "Id of the parent task, for a sub-task; else null."},
            "number": {"help_text": "Number as written: 一, 二, 1, …"},
            "title": {"help_text": "Its first sentence."},
        }


class SectionSerializer(serializers.ModelSerializer):
    tasks = SectionTaskSerializer(
        many=True, read_only=True, help_text="Its tasks and sub-tasks, in the plan's order."
    )

    class Meta:
        model = Section
        fields = ["id", "number", "title", "body", "tasks"]
        extra_kwargs = {
            "id": {"help_text": "Internal id."},
            "number": {"help_text": "Number as written: 一, 二, …"},
            "title": {"help_text": "Its heading."},
            "body": {"help_text": "Text between the heading and the first task."},
        }


PLAN_FIELD_HELP = {
    "id": {"help_text": "Internal id."},
    "year": {"help_text": "The year the plan is for."},
    "issuer": {"help_text": "Who issued it."},
    "title": {"help_text": "Its title."},
    "status": {"help_text": "draft, active (departments work on it) or closed."},
    "created_at": {"help_text": "When it was stored."},
    "updated_at": {"help_text": "When it last changed."},
    "preamble": {"help_text": "Text before the first section."},
}


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "year", "issuer", "title", "status", "created_at", "updated_at"]
        extra_kwargs = PLAN_FIELD_HELP


class PlanDetailSerializer(PlanSerializer):
    sections = SectionSerializer(
        many=True, read_only=True, help_text="Its sections, each with its tasks."
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "preamble", "sections"]


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


class LedgerEntrySerializer(serializers.ModelSerializer):
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
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

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
            "submitted_at",
            "created_at",
            "updated_at",
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


class LedgerEntryUpdateSerializer(serializers.ModelSerializer):
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


FINDING_FIELD_HELP = {
    "id": {"help_text": "Internal id."},
    "rating": {"help_text": "complete (完成), mostly (基本完成) or incomplete (未完成)."},
    "score": {
        "help_text": "Score from 0 to 100: required for an assessment, absent for a check.",
        "min_value": 0,
        "max_value": 100,
    },
    "comment": {"help_text": "The reviewer's comment."},
    "created_at": {"help_text": "When it was recorded."},
    "updated_at": {"help_text": "When it last changed."},
}


class FindingSerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(
        queryset=ReviewRound.objects.all(), help_text="Id of the review round."
    )
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(), help_text="Id of the task reviewed."
    )
    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        help_text="Code of the department reviewed; it must be assigned to the task.",
    )
    reviewer = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Username of the reviewer."
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "round",
            "task",
            "department",
            "rating",
            "score",
            "comment",
            "reviewer",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = FINDING_FIELD_HELP

    def validate(self, attrs):
        # The finding is of a task × assigned department: find that assignment, so that
        # the service receives what the browser's form gives it.
        try:
            attrs["assignment"] = Assignment.objects.select_related("task").get(
                task=attrs["task"], department=attrs["department"]
            )
        except Assignment.DoesNotExist:
            raise serializers.ValidationError(
                {"department": _("This department is not assigned to the task.")},
                code="not_assigned",
            ) from None
        return attrs


class FindingUpdateSerializer(serializers.ModelSerializer):
    """A correction: the rating, score and comment of a finding already recorded."""

    class Meta:
        model = Finding
        fields = ["rating", "score", "comment"]
        extra_kwargs = FINDING_FIELD_HELP
