"""Websocket URLs (mounted by labeling.asgi)."""

from django.urls import path

from datasets.consumers import DatasetEventsConsumer

websocket_urlpatterns = [
    path("ws/datasets/<str:owner_name>/<str:dataset_name>/", DatasetEventsConsumer.as_asgi()),
]
