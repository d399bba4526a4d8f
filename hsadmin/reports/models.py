from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hsadmin.portals.models import Portal


class EventDaySummary(models.Model):
    """The counted events of one portal, UTC day, event type and owning app, summed (`hsadmin.reports.summary`).

    Written only by database triggers on the events table, never by Django code, so it follows every way the
    mirror changes. Holds exactly the events the reports count: not cancelled, not drafts, with a start. A row
    whose events all left is deleted.
    """

    # No foreign key constraint and no cascade: a portal's events leave through their own delete trigger, which
    # empties these rows; a constraint would make the order of a portal's cascade matter.
    portal = models.ForeignKey(
        Portal, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("portal")
    )
    day = (
        models.DateField()
    )  # the UTC date of the events' start (a table for the reports' queries, never shown)
    event_type = models.CharField(_("type"), max_length=100, blank=True)
    # 0 for events without an owning app: a unique key treats NULLs as distinct, so the upsert could not find them.
    app_id = models.BigIntegerField(_("owning app ID"), default=0)
    events = models.IntegerField(_("events"), default=0)
    registrants = models.IntegerField(_("registrants"), default=0)
    attendees = models.IntegerField(_("attendees"), default=0)
    no_shows = models.IntegerField(_("no-shows"), default=0)
    cancellations = models.IntegerField(_("cancellations"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "day", "event_type", "app_id"], name="one_summary_row_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.portal_id} {self.day} {self.event_type} {self.app_id}: {self.events}"
