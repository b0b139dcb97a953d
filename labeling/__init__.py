"""Self-hosted labeling platform: project package (settings, URLs, ASGI app, Celery app, accounts)."""

from labeling.celery import app as celery_app

__all__ = ["celery_app"]
