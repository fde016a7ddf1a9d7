from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tasks_ledger import demo


class Command(BaseCommand):
    help = (
        "Load the departments and the plans under fixtures/ (idempotent); with --accounts the "
        "demo accounts; with --entries N, N synthetic ledger entries for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--accounts", action="store_true", help="create the demo accounts")
        parser.add_argument("--entries", type=int, default=0, help="add N synthetic entries")

    def handle(self, *args, accounts, entries, **options):
        count = demo.seed_departments()
        self.stdout.write(f"departments: {count}")
        for plan, summary in demo.seed_plans():
            self.stdout.write(
                f"plan {plan.year}: {summary.created} created, {summary.updated} updated, "
                f"{summary.unchanged} unchanged"
            )
        if accounts or entries:
            created = demo.seed_accounts(settings.DEMO_PASSWORD)
            self.stdout.write(f"demo accounts created: {len(created)}")
        if entries:
            try:
                made = demo.seed_entries(entries)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"ledger entries added: {made}")
