from django.core.management.base import BaseCommand, CommandError

from tasks_ledger.clone.services import PlanCloneError, plan_clone
from tasks_ledger.management.options import by_option
from tasks_ledger.plan.models import Plan


class Command(BaseCommand):
    help = (
        "Copy the plan of YEAR to NEW_YEAR: sections, tasks, assignments, deadlines and review "
        "rounds moved to the new year by their own rule, weights and reminder lead times."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("new_year", type=int)
        parser.add_argument("--by", metavar="USERNAME", help="who the history records as copier")

    def handle(self, *args, year, new_year, by, **options):
        plan = Plan.objects.filter(year=year).first()
        if plan is None:
            raise CommandError(f"no plan for {year}")
        try:
            copy = plan_clone(plan=plan, new_year=new_year, by=by_option(by))
        except PlanCloneError as exc:
            raise CommandError(str(exc)) from None
        new = copy.plan
        self.stdout.write(
            f"plan {year} copied to {new_year}: {new.sections.count()} sections, "
            f"{new.tasks.count()} tasks"
        )
        for review_round in new.review_rounds.all():
            self.stdout.write(f"  {review_round.kind} {review_round.text}: {review_round.date}")
        for review_round, source in copy.unconfirmed_rounds:
            self.stdout.write(
                f"  {review_round.text}: dated on the {source} calendar, please confirm"
            )
