"""Values as people type them: dates, numbers, yes/no, and how texts are compared."""

import datetime
import functools
import math
import re
import unicodedata


@functools.lru_cache(maxsize=16384)  # the same few types, statuses and units on every line
def norm(text):
    """Lowercase, no accents, single spaces: how headers and values are compared."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    text = re.sub(r"[\s_\-]+", " ", text.lower().replace("’", "'")).strip()
    return re.sub(r"[.°º:]", "", text)


DATE_FORMATS = (
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y/%m/%d",
)
DAY_FIRST = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})")
ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")


def parse_date(value):
    """A date from a cell: a date, dd/mm/yyyy, yyyy-mm-dd and a few other usual shapes."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    # The two usual shapes without strptime, which costs more than the rest of a row.
    found = DAY_FIRST.fullmatch(text) or ISO_DATE.fullmatch(text)
    if found:
        day, month, year = (int(found[k]) for k in ("day", "month", "year"))
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValueError(
                "date impossible : ce jour n’existe pas (jj/mm/aaaa ou aaaa-mm-jj attendu)"
            ) from None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("date illisible (jj/mm/aaaa ou aaaa-mm-jj attendu)")


def parse_decimal(value):
    """A finite number; a French decimal comma and thin spaces are accepted."""
    if isinstance(value, bool):
        raise ValueError("nombre illisible")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if len(text) > 40:
            raise ValueError("nombre illisible")
        try:
            number = float(text)
        except ValueError:
            raise ValueError("nombre illisible") from None
    if not math.isfinite(number):
        raise ValueError("nombre illisible")
    return number


def parse_int(value):
    number = parse_decimal(value)
    if number != int(number):
        raise ValueError("nombre entier attendu")
    return int(number)


YES = {"oui", "yes", "vrai", "true", "1", "x", "o", "y"}
NO = {"non", "no", "faux", "false", "0", "", "n"}


def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = norm(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError("oui ou non attendu")
