"""`python manage.py load_demo_data [--site-url URL]`: create or refresh the demo organization, users and
datasets over the real photos, video frames and Wikigold sentences in examples/, and print how to log in."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from datasets.demo import DEMO_ADMIN, DEMO_LABELER, create_demo_data


class Command(BaseCommand):
    help = "Create (idempotently) the demo organization, users and datasets from examples/."

    def add_arguments(self, parser):
        default = settings.SITE_URL or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        parser.add_argument("--site-url", default=default, help="Absolute base URL the app is served at.")

    def handle(self, *args, site_url: str, **options):
        demo = create_demo_data(site_url)
        datasets = (demo.dataset, demo.segmentation_dataset, demo.sequence_dataset, *demo.lidar_datasets)
        for dataset in (*datasets, demo.multisensor_dataset, *demo.text_datasets):
            if dataset is not None:  # DemoData's multisensor_dataset may be None
                self.stdout.write(f"Demo dataset {dataset.full_name}: {dataset.samples.count()} samples")
        self.stdout.write(f"  admin:   {DEMO_ADMIN} / {demo.admin_password}")
        self.stdout.write(f"  labeler: {DEMO_LABELER} / {demo.labeler_password}")
