"""Create one demo person per role, with generated passwords printed once.

`make run` calls this on every start; it only creates people who do not exist yet, so the passwords are
printed the first time only. `--reset-passwords` makes and prints new ones (for a lost password).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from hsadmin.core.models import User
from hsadmin.core.roles import APP_ADMIN, Role

DEMO_PEOPLE: tuple[tuple[str, str, str, Role], ...] = (
    ("marketing", "Mara", "Marketing", Role.MARKETING),
    ("portaladmin", "Pat", "Admin", Role.PORTAL_ADMIN),
    ("manager", "Max", "Manager", Role.MANAGER),
)


def make_password() -> str:
    return secrets.token_urlsafe(12)


class Command(BaseCommand):
    help = "Create the demo people (one per role) with generated passwords, printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the existing demo people new passwords and print them.",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        printed: list[tuple[str, str, str]] = []
        for username, first, last, role in DEMO_PEOPLE:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=first, last_name=last)
            elif not options["reset_passwords"]:
                continue
            password = make_password()
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=role.value))
            label = role.value
            if role is Role.PORTAL_ADMIN:  # the demo's admin may also change the app-wide settings
                user.groups.add(Group.objects.get(name=APP_ADMIN))
                label = f"{role.value} + {APP_ADMIN}"
            printed.append((label, username, password))
        if not printed:
            self.stdout.write("Demo people exist already (use --reset-passwords for new passwords).")
            return
        self.stdout.write(self.style.SUCCESS("Demo people (these passwords are shown only now):"))
        for role_name, username, password in printed:
            self.stdout.write(f"  {role_name:<25} username: {username:<12} password: {password}")
