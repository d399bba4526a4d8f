"""List associations (#29-#34) and the app's event-details settings (#35-#36)."""

from __future__ import annotations

from collections.abc import Iterator

from ._api import (
    USE_DEFAULT_AUTH,
    ApiPart,
    Op,
    UseDefaultAuth,
    follow_pages,
    page_from_api,
    seg,
    settings_take_oauth,
)
from .auth import DeveloperKeyAuth
from .errors import AuthError
from .models import EventDetailSettings, HubSpotList, Page


class ListAssociationsPart(ApiPart):
    def _external(self, external_account_id: str, external_event_id: str) -> str:
        return f"{self._events}/associations/{seg(external_account_id)}/{seg(external_event_id)}/lists"

    def event_lists_page_by_external_id(
        self, external_account_id: str, external_event_id: str, *, after: str | None = None
    ) -> Page[HubSpotList]:
        """GET /marketing/v3/marketing-events/associations/{externalAccountId}/{externalEventId}/lists (#29)."""
        data = self._json(
            Op("event_lists_by_external_id"),
            "GET",
            self._external(external_account_id, external_event_id),
            params={"after": after},
        )
        return page_from_api(data, HubSpotList.from_api)

    def iter_event_lists_by_external_id(
        self, external_account_id: str, external_event_id: str
    ) -> Iterator[HubSpotList]:
        """Every list associated with the event, by external IDs (#29)."""
        return follow_pages(
            lambda after: self.event_lists_page_by_external_id(
                external_account_id, external_event_id, after=after
            )
        )

    def associate_list_by_external_id(
        self, external_account_id: str, external_event_id: str, list_id: str
    ) -> None:
        """PUT /marketing/v3/marketing-events/associations/{externalAccountId}/{externalEventId}/lists/{listId}
        (#30): 204."""
        path = f"{self._external(external_account_id, external_event_id)}/{seg(list_id)}"
        self._request(Op("associate_list_by_external_id"), "PUT", path)

    def disassociate_list_by_external_id(
        self, external_account_id: str, external_event_id: str, list_id: str
    ) -> None:
        """DELETE /marketing/v3/marketing-events/associations/{externalAccountId}/{externalEventId}/lists/
        {listId} (#31): 204."""
        path = f"{self._external(external_account_id, external_event_id)}/{seg(list_id)}"
        self._request(Op("disassociate_list_by_external_id", gone_ok_on_retry=True), "DELETE", path)

    def event_lists_page(self, marketing_event_id: str, *, after: str | None = None) -> Page[HubSpotList]:
        """GET /marketing/v3/marketing-events/associations/{marketingEventId}/lists (#32)."""
        data = self._json(
            Op("event_lists"),
            "GET",
            f"{self._events}/associations/{seg(marketing_event_id)}/lists",
            params={"after": after},
        )
        return page_from_api(data, HubSpotList.from_api)

    def iter_event_lists(self, marketing_event_id: str) -> Iterator[HubSpotList]:
        """Every list associated with the event, by marketingEventId (#32)."""
        return follow_pages(lambda after: self.event_lists_page(marketing_event_id, after=after))

    def associate_list(self, marketing_event_id: str, list_id: str) -> None:
        """PUT /marketing/v3/marketing-events/associations/{marketingEventId}/lists/{listId} (#33): 204."""
        path = f"{self._events}/associations/{seg(marketing_event_id)}/lists/{seg(list_id)}"
        self._request(Op("associate_list"), "PUT", path)

    def disassociate_list(self, marketing_event_id: str, list_id: str) -> None:
        """DELETE /marketing/v3/marketing-events/associations/{marketingEventId}/lists/{listId} (#34): 204."""
        path = f"{self._events}/associations/{seg(marketing_event_id)}/lists/{seg(list_id)}"
        self._request(Op("disassociate_list", gone_ok_on_retry=True), "DELETE", path)


class SettingsPart(ApiPart):
    """The settings endpoints authenticate as each version's own sources say: the developer API key
    (`?hapikey=`) on v3 and 2026-09; on 2026-03 the client's OAuth token, which must hold `developers-read` /
    `developers-write`."""

    _developer_auth: DeveloperKeyAuth | None = None
    app_id: int | None = None

    def _init_settings(self, *, developer_api_key: str | None, app_id: int | None) -> None:
        self._developer_auth = DeveloperKeyAuth(developer_api_key) if developer_api_key else None
        self.app_id = app_id

    def _settings_call(self, app_id: int | None) -> tuple[str, DeveloperKeyAuth | UseDefaultAuth]:
        app = app_id if app_id is not None else self.app_id
        if app is None:
            raise ValueError("the settings endpoints need an app_id (HUBSPOT_APP_ID)")
        if settings_take_oauth(self.api_version):
            return f"{self._events}/{int(app)}/settings", USE_DEFAULT_AUTH
        if self._developer_auth is None:
            raise AuthError("the settings endpoints need the developer API key (HUBSPOT_DEVELOPER_API_KEY)")
        return f"{self._events}/{int(app)}/settings", self._developer_auth

    def get_event_settings(self, app_id: int | None = None) -> EventDetailSettings:
        """GET /marketing/v3/marketing-events/{appId}/settings?hapikey= (#35)."""
        path, auth = self._settings_call(app_id)
        return EventDetailSettings.from_api(self._json(Op("get_event_settings"), "GET", path, auth=auth))

    def update_event_settings(self, event_details_url: str, app_id: int | None = None) -> EventDetailSettings:
        """POST /marketing/v3/marketing-events/{appId}/settings?hapikey= (#36); the URL must contain `%s`."""
        if "%s" not in event_details_url:
            raise ValueError("eventDetailsUrl must contain %s (replaced by the event id)")
        path, auth = self._settings_call(app_id)
        data = self._json(
            Op("update_event_settings"), "POST", path, json={"eventDetailsUrl": event_details_url}, auth=auth
        )
        return EventDetailSettings.from_api(data)
