import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks_ledger.plan.models import Plan
from tasks_ledger.plan.selectors import plan_as_json
from tasks_ledger.plan.sheet import write_plan_sheet


class Command(BaseCommand):
    help = "Print a stored plan as plan JSON, or write it as a plan sheet (--xlsx PATH)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--json", action="store_true", help="print plan JSON (the default)")
        parser.add_argument("--xlsx", type=Path, metavar="PATH", help="write a plan sheet")

    def handle(self, *args, year, xlsx, **options):
        plan = Plan.objects.filter(year=year).first()
        if plan is None:
            raise CommandError(f"no plan for {year}")
        data = plan_as_json(plan=plan)
        if xlsx:
            write_plan_sheet(data, xlsx)
            self.stdout.write(f"wrote {xlsx}")
            return
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
