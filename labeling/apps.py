from django.apps import AppConfig


class LabelingConfig(AppConfig):
    name = "labeling"
    verbose_name = "Accounts and organizations"

    def ready(self) -> None:
        # Make our Celery app the current one in every Django process, so that `task.delay()` goes to the
        # configured broker (Redis) and not to Celery's default app.
        from labeling import celery  # noqa: F401
