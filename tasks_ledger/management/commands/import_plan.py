import json as jsonlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tasks_ledger.plan.plan_json import PlanFormatError, validate_plan
from tasks_ledger.plan.services import plan_import
from tasks_ledger.plan.sources import read_plan_file


class Command(BaseCommand):
    help = (
        "Import a plan: a plan document as published (.txt in any common encoding, .docx, "
        ".html/.htm, .pdf with a text layer), plan JSON (.json) or a plan sheet (.xlsx)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and show; write nothing")
        parser.add_argument("--json", action="store_true", help="print the plan JSON")
        parser.add_argument("--by", metavar="USERNAME", help="who the history records as importer")

    def handle(self, *args, path, dry_run, **options):
        try:
            data = read_plan_file(path)
            # A document that names no year still shows in a dry run ("year": null);
            # storing it needs the year.
            validate_plan(data, year_required=not dry_run)
            if dry_run:
                if options["json"]:
                    self._print_json(data)
                else:
                    self.stdout.write(self._describe(data) + " (dry run: nothing written)")
                return
            plan, summary = plan_import(data=data, by=self._user(options["by"]))
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

    @staticmethod
    def _user(username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--by: no user named {username!r}")
        return user

    def _print_json(self, data):
        data = {key: value for key, value in data.items() if key != "source_text"}
        self.stdout.write(jsonlib.dumps(data, ensure_ascii=False, indent=1))

    @staticmethod
    def _describe(data):
        tasks = sum(len(s.get("tasks", [])) for s in data["sections"])
        return f"plan {data['year']}: {len(data['sections'])} sections, {tasks} tasks"
