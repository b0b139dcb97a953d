"""`manage.py prune_label_history`: delete every label's saved versions beyond the retention settings
(LABEL_HISTORY_KEEP, LABEL_HISTORY_DAYS; docs/history.md).

Labels are also pruned one by one after every LABEL_HISTORY_PRUNE_EVERY-th write; the age limit, though, needs
this command run periodically (e.g. a nightly cron job), as there is no Celery beat.
"""

from django.core.management.base import BaseCommand

from datasets.services.label_versions import prune_label_history


class Command(BaseCommand):
    help = "Delete label versions beyond LABEL_HISTORY_KEEP / LABEL_HISTORY_DAYS (or --keep / --days)."

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, help="versions kept per label (0: all); default LABEL_HISTORY_KEEP")
        parser.add_argument("--days", type=int, help="age limit in days (0: none); default LABEL_HISTORY_DAYS")

    def handle(self, *args, keep: int | None = None, days: int | None = None, **options):
        deleted = prune_label_history(keep=keep, days=days)
        self.stdout.write(f"{deleted} label versions deleted")
