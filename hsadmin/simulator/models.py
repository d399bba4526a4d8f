"""The simulator's HubSpot state: portals, apps, installs, tokens, contacts, events, participations and lists.

Everything HubSpot would remember lives here, in the ``simulator`` database. Times are stored as aware
datetimes, except a participation's ``interaction_at``, which is kept as HubSpot receives it: epoch
milliseconds (it is part of the idempotency key).
"""

from __future__ import annotations

from django.db import models


class Portal(models.Model):
    """A HubSpot account (a "hub" or "portal"), identified by its hub id."""

    hub_id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=200)
    user_email = models.CharField(max_length=200, default="admin@example.com")
    user_id = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.name} ({self.hub_id})"


class App(models.Model):
    """A public app: OAuth client credentials, a developer API key and the app's event settings."""

    app_id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    client_id = models.CharField(max_length=100, unique=True)
    client_secret = models.CharField(max_length=100)
    developer_api_key = models.CharField(max_length=100, unique=True)
    event_details_url = models.CharField(max_length=2000, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.name} ({self.app_id})"


class Installation(models.Model):
    """An app installed on a portal, with the scopes granted at consent."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE)
    app = models.ForeignKey(App, on_delete=models.CASCADE)
    scopes = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["portal", "app"], name="sim_install_unique")]

    def __str__(self) -> str:
        return f"{self.app_id}@{self.portal_id}"


class AuthCode(models.Model):
    """A single-use authorization code from the consent page."""

    code = models.CharField(max_length=100, primary_key=True)
    portal = models.ForeignKey(Portal, on_delete=models.CASCADE)
    app = models.ForeignKey(App, on_delete=models.CASCADE)
    redirect_uri = models.CharField(max_length=2000)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField()
    used = models.BooleanField(default=False)
    code_challenge = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return self.code[:6]


class RefreshToken(models.Model):
    """A refresh token: no expiry on a timer, valid until deleted."""

    token = models.CharField(max_length=100, primary_key=True)
    portal = models.ForeignKey(Portal, on_delete=models.CASCADE)
    app = models.ForeignKey(App, on_delete=models.CASCADE)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.token[:6]


class AccessToken(models.Model):
    """An OAuth access token, valid until ``expires_at`` (issue time + ``expires_in``)."""

    token = models.CharField(max_length=300, primary_key=True)
    portal = models.ForeignKey(Portal, on_delete=models.CASCADE)
    app = models.ForeignKey(App, on_delete=models.CASCADE)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField()
    refresh_token = models.CharField(max_length=100, blank=True, default="")

    def __str__(self) -> str:
        return self.token[:6]


class Contact(models.Model):
    """A CRM contact. ``properties`` holds every property other than email, firstname and lastname."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE)
    email = models.CharField(max_length=254)
    firstname = models.CharField(max_length=200, blank=True, default="")
    lastname = models.CharField(max_length=200, blank=True, default="")
    properties = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["portal", "email"], name="sim_contact_email_unique")]

    def __str__(self) -> str:
        return self.email


class MarketingEvent(models.Model):
    """A marketing event. ``app`` is null for events created in HubSpot's UI (no external-id access)."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE)
    app = models.ForeignKey(App, on_delete=models.SET_NULL, null=True, blank=True)
    external_account_id = models.CharField(max_length=200, blank=True, default="")
    external_event_id = models.CharField(max_length=200, blank=True, default="")
    name = models.CharField(max_length=500)
    event_type = models.CharField(max_length=100, blank=True, default="")
    organizer = models.CharField(max_length=500, blank=True, default="")
    description = models.TextField(blank=True, default="")
    url = models.CharField(max_length=2000, blank=True, default="")
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    completed = models.BooleanField(default=False)
    custom_properties = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["portal", "id"]), models.Index(fields=["external_event_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "app", "external_account_id", "external_event_id"],
                condition=models.Q(app__isnull=False),
                name="sim_event_external_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """One participation activity (register, attend or cancel) of a contact at an event.

    Idempotent: the same contact, state and ``interaction_at`` recorded twice is one row.
    """

    REGISTERED = "REGISTERED"
    ATTENDED = "ATTENDED"
    CANCELLED = "CANCELLED"

    event = models.ForeignKey(MarketingEvent, on_delete=models.CASCADE)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE)
    state = models.CharField(max_length=20)
    interaction_at = models.BigIntegerField()
    properties = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["event", "contact"]), models.Index(fields=["contact"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "contact", "state", "interaction_at"], name="sim_participation_idempotent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.state} {self.event_id}"


class ContactList(models.Model):
    """A CRM list (ILS list). Only what the Lists subset needs: name, type and size."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE)
    name = models.CharField(max_length=500)
    processing_type = models.CharField(max_length=20, default="MANUAL")
    object_type_id = models.CharField(max_length=20, default="0-1")
    size = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class EventListAssociation(models.Model):
    """A list tied to a marketing event."""

    event = models.ForeignKey(MarketingEvent, on_delete=models.CASCADE)
    contact_list = models.ForeignKey(ContactList, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "contact_list"], name="sim_event_list_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}->{self.contact_list_id}"
