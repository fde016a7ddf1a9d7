from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tasks_ledger import demo, demo_living


class Command(BaseCommand):
    help = (
        "Load the departments and the plans under fixtures/ (idempotent); with --accounts the "
        "demo accounts and the living demo (the 2016 plan copied to this year, with the "
        "year's work up to today); with --entries N, instead of the living demo, N synthetic "
        "ledger entries in the 2016 plan for benchmarks."
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
        if accounts and not entries:
            living = demo_living.seed_living()
            if living.created or living.entries:
                self.stdout.write(
                    f"living demo {living.plan.year}: {living.entries} ledger entries, "
                    f"{living.findings} findings, {living.reminders} reminders"
                )
            else:
                self.stdout.write(f"living demo {living.plan.year}: already there")
        if entries:
            try:
                made = demo.seed_entries(entries)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"ledger entries added: {made}")
