"""The Django side of HubSpot above `portals`: the gateway every service goes through (`gateway.py`) and the
words a person reads when HubSpot refuses or fails (`messages.py`)."""
