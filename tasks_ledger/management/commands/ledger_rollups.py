from django.core.management.base import BaseCommand, CommandError

from tasks_ledger.ledger import kept_pages
from tasks_ledger.ledger.rollups import rollups_check, rollups_rebuild


class Command(BaseCommand):
    help = (
        "Compare the ledger's rollups (the dashboard's per task × department figures and day "
        "counts, kept by database triggers) with the entries; --rebuild rewrites them first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="rewrite the rollups from the entries"
        )

    def handle(self, *args, rebuild, **options):
        if rebuild:
            rollups_rebuild()
            # What the dashboard kept was built from the rollups just rewritten.
            kept_pages.forget()
            self.stdout.write("rebuilt the rollups from the entries")
        differences = rollups_check()
        for line in differences[:50]:
            self.stdout.write(line)
        if differences:
            raise CommandError(
                f"{len(differences)} rollup rows differ from the entries: "
                "run ledger_rollups --rebuild"
            )
        self.stdout.write("the rollups agree with the entries")
