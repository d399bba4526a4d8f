"""Addresses worth a second look before they become contacts (each new contact may be billed): a domain one or
two keystrokes from a common mail provider's, a role mailbox (info@, noreply@), or a disposable-mail domain.

A small hand-kept list rather than a library: the Python packages for this are either unmaintained or ship
tens of thousands of disposable domains, which would flag company domains by accident; a wrong guess here only
asks a question, and the person decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

COMMON_DOMAINS = (
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.co.uk",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.fr",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "t-online.de",
    "orange.fr",
    "comcast.net",
    "verizon.net",
    # Real providers near the ones above, so they are never "corrected" into them.
    "mail.com",
    "email.com",  # mail.com's, one keystroke from gmail.com
    "gmx.com",
    "zoho.com",
    "fastmail.com",
    "hotmail.de",
    "yahoo.de",
    "live.co.uk",
    "att.net",
)
ROLE_MAILBOXES = frozenset(
    {
        "info",
        "admin",
        "administrator",
        "contact",
        "sales",
        "support",
        "help",
        "office",
        "hello",
        "marketing",
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "webmaster",
        "postmaster",
        "hostmaster",
        "abuse",
        "billing",
        "team",
        "hr",
        "jobs",
        "careers",
        "enquiries",
        "inquiries",
        "mail",
        "test",
    }
)
DISPOSABLE_DOMAINS = frozenset(
    {
        "mailinator.com",
        "guerrillamail.com",
        "guerrillamail.net",
        "sharklasers.com",
        "10minutemail.com",
        "temp-mail.org",
        "tempmail.com",
        "yopmail.com",
        "trashmail.com",
        "getnada.com",
        "dispostable.com",
        "maildrop.cc",
        "throwawaymail.com",
        "fakeinbox.com",
        "mintemail.com",
        "spamgourmet.com",
        "mailnesia.com",
        "emailondeck.com",
    }
)
_TLD_TYPOS = {
    "con": "com",
    "cmo": "com",
    "ocm": "com",
    "comm": "com",
    "co": "com",
    "cm": "com",
    "om": "com",
    "nte": "net",
    "ent": "net",
}


class Flag(StrEnum):
    TYPO = "typo"
    ROLE = "role"
    DISPOSABLE = "disposable"


@dataclass(frozen=True)
class Check:
    email: str
    flag: Flag
    suggestion: str  # the corrected address, or "" when the suggestion is to leave the address out


def check(email: str) -> Check | None:
    """A reason to look again at this address, with a suggestion, or None when it looks ordinary."""
    local, _, domain = email.strip().lower().rpartition("@")
    if not local or not domain:
        return None
    if domain in DISPOSABLE_DOMAINS:
        return Check(email, Flag.DISPOSABLE, "")
    if domain not in COMMON_DOMAINS:
        corrected = _corrected_domain(domain)
        if corrected and corrected != domain:
            return Check(email, Flag.TYPO, f"{local}@{corrected}")
    if local in ROLE_MAILBOXES:
        return Check(email, Flag.ROLE, "")
    return None


def _corrected_domain(domain: str) -> str:
    """The common domain this one is a slip of: the same provider name one or two keystrokes off (a letter
    missing, doubled, swapped or wrong) under the same ending, or the right name under a mistyped ending."""
    name, _, tld = domain.rpartition(".")
    fixed_tld = _TLD_TYPOS.get(tld)
    if fixed_tld and f"{name}.{fixed_tld}" in COMMON_DOMAINS:
        return f"{name}.{fixed_tld}"
    if len(name) < 4:
        return ""
    best, best_distance = "", 3
    for common in COMMON_DOMAINS:
        common_name, _, common_tld = common.rpartition(".")
        if common_tld != tld or abs(len(common_name) - len(name)) > 1:
            continue
        distance = _edits(name, common_name)
        if distance < best_distance and distance <= (1 if len(common_name) < 6 else 2):
            best, best_distance = common, distance
    return best


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
