"""Read a timestamp as pages write it ("Wednesday 29 December 2021 19:14 GMT") into ISO 8601.

Only the parser lives here; which lines are timestamps is decided by the rule packs.
"""

from __future__ import annotations

import regex

_MONTHS = {
    # English, German, French, Spanish, Italian, Portuguese: full names and common abbreviations.
    1: "january jan januar janvier enero ene gennaio gen janeiro",
    2: "february feb februar février fevrier febrero febbraio fevereiro fev",
    3: "march mar märz maerz mars marzo março marco",
    4: "april apr avril abril aprile abr",
    5: "may mai mayo maggio mag maio",
    6: "june jun juni juin junio giugno giu junho",
    7: "july jul juli juillet julio luglio lug julho",
    8: "august aug août aout agosto ago",
    9: "september sep sept septembre septiembre settembre set setembro",
    10: "october oct oktober okt octobre octubre ottobre ott outubro out",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember dez décembre decembre diciembre dic dicembre dezembro",
}
_MONTH_OF = {name: number for number, names in _MONTHS.items() for name in names.split()}
_MONTH_NAME = "|".join(sorted(map(regex.escape, _MONTH_OF), key=len, reverse=True))

# Fixed offsets of the zone abbreviations news pages print; ambiguous ones (IST, CST in Asia) are
# read the way English-language news sites use them.
_ZONES = {"gmt": "+00:00", "utc": "+00:00", "z": "+00:00", "bst": "+01:00", "cet": "+01:00", "cest": "+02:00",
          "est": "-05:00", "edt": "-04:00", "et": None, "cst": "-06:00", "cdt": "-05:00", "ct": None,
          "mst": "-07:00", "mdt": "-06:00", "pst": "-08:00", "pdt": "-07:00", "pt": None,
          "ist": "+05:30", "aest": "+10:00", "aedt": "+11:00", "jst": "+09:00"}

_ISO = regex.compile(r"\b(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?)?\b")
_DAY_MONTH = regex.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+)?({_MONTH_NAME})\.?\b", regex.I)
_MONTH_DAY = regex.compile(rf"\b({_MONTH_NAME})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", regex.I)
_YEAR = regex.compile(r"\b(19\d\d|20\d\d)\b")
_TIME = regex.compile(r"\b(\d{1,2})[:.h](\d\d)(?::(\d\d))?\s*([ap])?\.?\s?(m\b\.?)?", regex.I)
_ZONE = regex.compile(r"\b(" + "|".join(_ZONES) + r")\b|([+-]\d\d:?\d\d)\b", regex.I)


def to_iso(text: str) -> str | None:
    """ISO 8601 for the first date (and time, and zone) in text; None when no full date is found."""
    iso = _ISO.search(text)
    if iso:
        year, month, day, hour, minute, second, zone = iso.groups()
        if not hour:
            return f"{year}-{month}-{day}"
        offset = "+00:00" if zone == "Z" else _colon(zone) if zone else ""
        return f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{offset}"
    year_match = _YEAR.search(text)
    if not year_match:
        return None
    day_month = _DAY_MONTH.search(text)
    month_day = _MONTH_DAY.search(text)
    if day_month and (not month_day or day_month.start() <= month_day.start()):
        day, month = int(day_month.group(1)), _MONTH_OF[day_month.group(2).lower()]
    elif month_day:
        month, day = _MONTH_OF[month_day.group(1).lower()], int(month_day.group(2))
    else:
        return None
    if not 1 <= day <= 31:
        return None
    date = f"{int(year_match.group(1)):04d}-{month:02d}-{day:02d}"
    clock = _time(text)
    if clock is None:
        return date
    zone = _ZONE.search(text[clock[1]:])
    offset = ""
    if zone:
        offset = _ZONES.get(zone.group(1).lower()) or "" if zone.group(1) else _colon(zone.group(2))
    return f"{date}T{clock[0]}{offset}"


def _time(text: str) -> tuple[str, int] | None:
    for match in _TIME.finditer(text):
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        meridian = (match.group(4) or "").lower()
        if meridian and match.group(5) is None:
            continue  # "3 a" is not a time of day
        if meridian == "p" and hour < 12:
            hour += 12
        elif meridian == "a" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and second < 60:
            return f"{hour:02d}:{minute:02d}:{second:02d}", match.end()
    return None


def _colon(offset: str) -> str:
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
