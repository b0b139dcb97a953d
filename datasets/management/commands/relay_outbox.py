"""`manage.py relay_outbox`: send the tasks waiting in the outbox now (docs/outbox.md).

Every Celery worker already does this every OUTBOX_RELAY_INTERVAL_SECONDS; the command is for operators: after
an outage with no worker running, or to see how many tasks are waiting (`--count`).
"""

from django.core.management.base import BaseCommand

from datasets.models import PendingTask
from datasets.services.outbox import relay_pending


class Command(BaseCommand):
    help = "Send the Celery tasks waiting in the outbox to the broker now (or only count them with --count)."

    def add_arguments(self, parser):
        parser.add_argument("--count", action="store_true", help="only print how many tasks are waiting")

    def handle(self, *args, count: bool = False, **options):
        waiting = PendingTask.objects.count()
        if count:
            self.stdout.write(f"{waiting} tasks waiting")
            return
        sent = 0
        while True:  # rounds of up to 500 until none is left or the broker refuses one
            batch = relay_pending(older_than=0)
            sent += batch
            if not batch:
                break
        self.stdout.write(f"{sent} of {waiting} waiting tasks sent")
