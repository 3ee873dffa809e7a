"""How a person is named where others see them: their name, never their email address;
on a public page (a certificate's or a badge's verification), initials when no name is
known."""

import re

_PARTS = re.compile(r"[\s._\-+]+")


def initials(email_or_name):
    """« C. N. » for camille.nouveau@… or for Camille Nouveau."""
    local = (email_or_name or "").partition("@")[0]
    letters = [p[0].upper() for p in _PARTS.split(local) if p and p[0].isalpha()]
    return " ".join(f"{c}." for c in letters[:3])


def public(name, email=""):
    """The name to publish: the name if it is one, else initials (of the name that was an
    address, or of the email)."""
    name = (name or "").strip()
    if name and "@" not in name:
        return name
    return initials(name or email)
