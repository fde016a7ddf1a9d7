import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks_ledger.management.options import by_option
from tasks_ledger.plan.diff import count_tasks, plan_diff
from tasks_ledger.plan.drafts import plan_with_year, validate_draft
from tasks_ledger.plan.plan_json import PlanFormatError, validate_plan
from tasks_ledger.plan.services import plan_import
from tasks_ledger.plan.sources import read_plan_file


class Command(BaseCommand):
    help = (
        "Import a plan: a plan document as published (.txt in any common encoding, .docx, "
        ".html/.htm, .pdf with a text layer), plan JSON (.json) or a plan sheet (.xlsx). "
        "Refuses a plan with no tasks; removes stored tasks only with --allow-removals."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and show; write nothing")
        parser.add_argument("--json", action="store_true", help="print the plan JSON")
        parser.add_argument(
            "--year", type=int, help="the plan's year, when the document does not say or says wrong"
        )
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help="remove stored tasks the plan no longer has (never tasks with ledger entries)",
        )
        parser.add_argument("--by", metavar="USERNAME", help="who the history records as importer")

    def handle(self, *args, path, dry_run, **options):
        try:
            data = read_plan_file(path)
            if options["year"] is not None and isinstance(data, dict):
                data = plan_with_year(data, options["year"])
            if dry_run and options["json"]:
                # What was read, as read: a year the document does not say stays null.
                validate_draft(data)
                self._print_json(data)
                return
            if isinstance(data, dict) and data.get("year") is None:
                raise PlanFormatError(
                    "year", "the document does not say which year it is for: give it with --year"
                )
            validate_plan(data)
            if count_tasks(data) == 0:
                raise PlanFormatError(
                    "sections",
                    "the plan has no tasks: nothing in it was read as a task, "
                    "so nothing is imported",
                )
            if dry_run:
                self._describe_diff(data)
                return
            plan, summary = plan_import(
                data=data, by=by_option(options["by"]), allow_removals=options["allow_removals"]
            )
        except PlanFormatError as exc:
            raise CommandError(f"{path}: {exc}") from None
        if options["json"]:
            self._print_json(data)
            return
        self.stdout.write(
            f"{self._describe(data)}: {summary.created} created, {summary.updated} updated, "
            f"{summary.deleted} removed, {summary.unchanged} unchanged"
        )
        if summary.new_departments:
            self.stdout.write(
                "new departments (set their codes in the admin): "
                + "、".join(summary.new_departments)
            )

    def _describe_diff(self, data):
        diff = plan_diff(data=data)
        write = self.stdout.write
        write(self._describe(data) + " (dry run: nothing written)")
        if not diff.exists:
            write(f"no plan for {diff.year} is stored: {len(diff.added)} tasks would be added")
        else:
            write(
                f"a plan for {diff.year} is stored: {len(diff.added)} added, "
                f"{len(diff.changed)} changed, {len(diff.removed)} removed"
            )
            for ref in diff.added:
                write(f"  + {ref.code} {ref.title}")
            for change in diff.changed:
                write(f"  ~ {change.task.code} {change.task.title} ({', '.join(change.fields)})")
            for ref in diff.removed:
                note = (
                    " [has ledger entries or findings: cannot be removed]"
                    if ref.has_entries
                    else ""
                )
                write(f"  - {ref.code} {ref.title}{note}")
            if diff.blocked:
                write(
                    "the import would be refused: tasks with ledger entries or findings "
                    "cannot be removed"
                )
            elif diff.removed:
                write("removing tasks needs --allow-removals")
        if diff.unknown_departments:
            write(
                "units matching no department (created as new ones): "
                + "、".join(diff.unknown_departments)
            )

    def _print_json(self, data):
        data = {key: value for key, value in data.items() if key != "source_text"}
        self.stdout.write(jsonlib.dumps(data, ensure_ascii=False, indent=1))

    @staticmethod
    def _describe(data):
        return f"plan {data['year']}: {len(data['sections'])} sections, {count_tasks(data)} tasks"
