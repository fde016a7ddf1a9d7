import json

from django.core.management.base import BaseCommand, CommandError

from tasks_ledger.plan.models import Plan
from tasks_ledger.plan.selectors import plan_as_json


class Command(BaseCommand):
    help = "Print a stored plan as plan JSON."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--json", action="store_true", help="plan JSON (the only format)")

    def handle(self, *args, year, **options):
        plan = Plan.objects.filter(year=year).first()
        if plan is None:
            raise CommandError(f"no plan for {year}")
        self.stdout.write(json.dumps(plan_as_json(plan=plan), ensure_ascii=False, indent=1))
