import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "For local demos only: create the superuser 'admin' with a random password, print it "
        "once and keep it in var/demo-admin.txt; later runs say where it is. Refuses to run "
        "with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password-file",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "demo-admin.txt",
            help="Where the password is kept between runs (default: var/demo-admin.txt).",
        )
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Where the site is served, for the sign-in address it prints "
            "(`make run` passes its HOST and PORT).",
        )

    def handle(self, *args, password_file, site_url, **options):
        self.site_url = site_url.rstrip("/")
        if not settings.DEBUG:
            raise CommandError(
                "demo_admin is for local demos and only runs with DEBUG on, because it "
                "keeps a password in a plain file. On a real server, use "
                "`manage.py createsuperuser`."
            )
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        if user is None:
            # 16 random characters, held to the same rules as any editor's password.
            password = secrets.token_urlsafe(12)
            validate_password(password, User(username=USERNAME))
            # If the file cannot be written, the user is not created either,
            # so the next run starts clean instead of locking the admin out.
            with transaction.atomic():
                User.objects.create_superuser(USERNAME, email="", password=password)
                _write_secret(password_file, password)
            self.stdout.write(f"Created the superuser {USERNAME!r}.")
            self.stdout.write(self.style.SUCCESS(self.sign_in(password)))
            return

        if not (user.is_active and user.is_staff):
            raise CommandError(
                f"A user {USERNAME!r} exists but cannot use the admin. Fix it with "
                f"`manage.py shell` or the admin, or delete it and run demo_admin again."
            )
        password = _read_secret(password_file)
        if password and user.check_password(password):
            # The password was printed when it was made; terminals and logs
            # keep what is printed, so later runs say where it is instead.
            admin_url = self.site_url + reverse("admin:index")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sign in at {admin_url} as {USERNAME}; the password printed when the "
                    f"login was created is kept in {password_file}."
                )
            )
            return
        reason = (
            f"{password_file} no longer holds its password"
            if password
            else f"its password is not in {password_file}"
        )
        self.stdout.write(
            self.style.WARNING(
                f"The user {USERNAME!r} exists, but {reason}. Set a new one with "
                f"`manage.py changepassword {USERNAME}`."
            )
        )

    def sign_in(self, password):
        admin_url = self.site_url + reverse("admin:index")
        return f"Sign in at {admin_url} as {USERNAME} with password {password}"


def _read_secret(path):
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def _write_secret(path, secret):
    path.parent.mkdir(parents=True, exist_ok=True)
    # Readable by the owner alone, from the moment it exists.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w", encoding="utf-8") as file:
        file.write(secret + "\n")
