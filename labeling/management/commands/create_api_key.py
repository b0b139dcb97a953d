"""`python manage.py create_api_key USERNAME`: prints a new API key for that user as the last line."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from labeling.services import create_api_key


class Command(BaseCommand):
    help = "Create an API key for an existing user; the key is printed once, as the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="A note to recognise the key by.")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        key = create_api_key(user, name=name)
        self.stdout.write(f"API key for {username} (shown once, store it now):")
        self.stdout.write(key)
