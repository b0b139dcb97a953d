"""Self-hosted labeling platform: project package (settings, URLs, ASGI app, Celery app, accounts).

The Celery app is loaded by `LabelingConfig.ready()`, not here, so that importing the pure core
(`labeling.core`) never pulls in Django or Celery.
"""
