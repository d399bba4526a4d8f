"""Make the three roles (groups) with their capabilities (design §6).

The mapping is written out here, not imported, so this migration keeps meaning what it meant when later
migrations change roles.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CAPABILITIES = {
    "view_events": "Browse marketing events and their participation",
    "change_events": "Create, edit, cancel, complete and delete marketing events",
    "record_participation": "Record registrations, attendance and cancellations, and import CSVs",
    "change_lists": "Tie HubSpot lists to events",
    "view_contacts": "See a contact's history across events",
    "view_reports": "Read reports and export them",
    "manage_portals": "Connect, reconnect and disconnect HubSpot portals",
    "manage_app_settings": "Change the app's settings, such as the event-details URL",
    "manage_access": "Grant people access to portals",
    "view_activity": "Read the activity (audit) log",
}

ROLES = {
    "Marketing": ["view_events", "change_events", "record_participation", "change_lists", "view_contacts"],
    "Portal admin": ["manage_portals", "manage_app_settings", "manage_access", "view_activity"],
    "Manager": ["view_events", "view_contacts", "view_reports"],
}


def make_roles(apps, schema_editor):
    db = schema_editor.connection.alias
    # Permissions are normally made after migrate; make core's now so the groups can hold them.
    core = apps.get_app_config("core")
    core.models_module = True
    create_permissions(core, apps=apps, verbosity=0, using=db)
    core.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        perms = Permission.objects.using(db).filter(content_type__app_label="core", codename__in=codenames)
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
