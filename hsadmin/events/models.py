from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hsadmin.portals.models import Portal

# The object_id placeholder of a draft (HubSpot's objectIds are digits, so the two never collide).
DRAFT_PREFIX = "draft-"

# HubSpot's eventType is a free string; these are offered as suggestions.
COMMON_EVENT_TYPES = ("WEBINAR", "CONFERENCE", "WORKSHOP", "MEETUP", "TRADE_SHOW", "TRAINING", "WEBCAST")


class Event(models.Model):
    """The mirror: one portal's marketing event as hsadmin last saw it in HubSpot (design §1).

    Pages and reports read this, never HubSpot; a sync job and every write keep it current.
    """

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="events")
    object_id = models.CharField(_("object ID"), max_length=32)
    external_event_id = models.CharField(_("external event ID"), max_length=255, blank=True)
    external_account_id = models.CharField(_("external account ID"), max_length=255, blank=True)
    app_id = models.BigIntegerField(_("owning app ID"), null=True, blank=True)
    app_name = models.CharField(_("owning app"), max_length=200, blank=True)

    name = models.CharField(_("name"), max_length=500)
    event_type = models.CharField(_("type"), max_length=100, blank=True)
    organizer = models.CharField(_("organizer"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    completed = models.BooleanField(_("completed"), default=False)
    hubspot_status = models.CharField(_("HubSpot status"), max_length=50, blank=True)

    registrants = models.PositiveIntegerField(_("registrants"), default=0)
    attendees = models.PositiveIntegerField(_("attendees"), default=0)
    cancellations = models.PositiveIntegerField(_("cancellations"), default=0)
    no_shows = models.PositiveIntegerField(_("no-shows"), default=0)
    custom_properties = models.JSONField(_("custom properties"), default=dict, blank=True)

    hubspot_created_at = models.DateTimeField(_("created in HubSpot"), null=True, blank=True)
    hubspot_updated_at = models.DateTimeField(_("updated in HubSpot"), null=True, blank=True)
    synced_at = models.DateTimeField(_("last synced"), default=timezone.now)
    # The sync job that last saw this event: a finished full sync removes events it did not see.
    seen_by_job = models.BigIntegerField(null=True, blank=True, editable=False)
    # A draft lives only in hsadmin until it is published (or HubSpot fetches it from the event-details URL):
    # its object_id is a local placeholder (DRAFT_PREFIX + uuid) and its external IDs are hsadmin's own.
    is_draft = models.BooleanField(_("draft"), default=False, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "object_id"], name="one_mirror_row_per_event")
        ]
        indexes = [
            models.Index(fields=["portal", "starts_at"]),
            models.Index(fields=["portal", "name"]),
            # Ends with the state columns, so the "past" and "ended, not completed" filters count from the index.
            models.Index(fields=["portal", "ends_at", "cancelled", "completed"], name="event_ends_state"),
            models.Index(fields=["portal", "external_event_id"]),
            # The list's sorts (design §7, 100,000 events): a column with many equal values (six types, counters
            # that many events share) is indexed with the tie-breaking name and key, in each direction, so a page
            # is read in order from the index instead of sorting every event of a type. Columns with few ties
            # (name, start, end, organizer) sort their ties on the fly. PostgreSQL caps a B-tree entry near
            # 2.7 kB, so no index holds both long texts (name and organizer, 500 characters each).
            models.Index(fields=["portal", "event_type", "-starts_at", "name"], name="event_type_starts"),
            models.Index(fields=["portal", "event_type", "name", "id"], name="event_sort_type"),
            models.Index(fields=["portal", "-event_type", "name", "id"], name="event_sort_type_desc"),
            models.Index(fields=["portal", "organizer"], name="event_sort_organizer"),
            models.Index(fields=["portal", "registrants", "name", "id"], name="event_sort_registrants"),
            models.Index(fields=["portal", "-registrants", "name", "id"], name="event_sort_registrants_desc"),
            models.Index(fields=["portal", "attendees", "name", "id"], name="event_sort_attendees"),
            models.Index(fields=["portal", "-attendees", "name", "id"], name="event_sort_attendees_desc"),
            # The "cancelled" filter: few events, counted and listed newest first from their own small index.
            models.Index(
                fields=["portal", "-starts_at", "name"], condition=Q(cancelled=True), name="event_cancelled"
            ),
            # Reports aggregate these columns over a period: read from the index alone, not the wide rows.
            models.Index(
                fields=[
                    "portal",
                    "starts_at",
                    "cancelled",
                    "is_draft",
                    "registrants",
                    "attendees",
                    "no_shows",
                    "cancellations",
                    "event_type",
                ],
                name="event_report_cover",
            ),
            # Per database, in raw SQL: `event_list_cover` (0004) and the organizer and live indexes (0009) on
            # SQLite, INCLUDE indexes on PostgreSQL (0007), and the search index (0005, 0008). Django's state does
            # not know them; a migration that makes SQLite rebuild this table drops them, and `migrate` then
            # creates them again (apps.py, after every migrate).
        ]
        ordering = ["-starts_at", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def owned_by_us(self) -> bool:
        """Created by hsadmin's own app: the external-ID endpoints work for it (HubSpot 404s other apps)."""
        return bool(
            self.app_id
            and settings.HUBSPOT_APP_ID
            and int(self.app_id) == int(settings.HUBSPOT_APP_ID)
            and self.external_event_id
            and self.external_account_id
        )

    @property
    def ended(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()

    @property
    def ended_not_completed(self) -> bool:
        return self.ended and not self.completed and not self.cancelled

    @property
    def state(self) -> str:
        """One word for the list: draft, cancelled, completed, upcoming, live or past."""
        now = timezone.now()
        if self.is_draft:
            return "draft"
        if self.cancelled:
            return "cancelled"
        if self.completed:
            return "completed"
        if self.starts_at and self.starts_at > now:
            return "upcoming"
        if self.ends_at and self.ends_at <= now:
            return "past"
        return "live" if self.starts_at else "undated"
