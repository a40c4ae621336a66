"""Interview calendar files (iCalendar, RFC 5545/5546) made with the `icalendar` library.

Times are the employer's local times, in the Europe/London time zone (with its VTIMEZONE,
so British Summer Time is right in every calendar). Each candidate's interview for a
vacancy keeps one UID: a moved interview is sent again with the next SEQUENCE and
METHOD:REQUEST, so calendars update the entry instead of adding a second; a cancelled one
is sent with METHOD:CANCEL and STATUS:CANCELLED. Pure Python: no Flask or database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Shortlist//Interviews//EN"


@dataclass(frozen=True)
class Interview:
    uid: str
    sequence: int
    starts_at: datetime  # naive, local (Europe/London) time, as the panel arranged it
    minutes: int
    summary: str
    location: str
    description: str
    organizer_email: str
    organizer_name: str
    attendee_email: str = ""
    attendee_name: str = ""


def interview_uid(vacancy_id: int, application_id: int, host: str) -> str:
    """One calendar entry per candidate and vacancy, whatever time it moves to."""
    return f"interview-{vacancy_id}-{application_id}@{host}"


def calendar_file(interview: Interview, *, method: str = "REQUEST", stamp: datetime | None = None) -> bytes:
    """The .ics file: METHOD:REQUEST to add or update the entry, METHOD:CANCEL to remove it."""
    if method not in ("REQUEST", "CANCEL", "PUBLISH"):
        raise ValueError(f"unknown calendar method {method!r}")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    start = interview.starts_at.replace(tzinfo=LONDON)
    event = Event()
    event.add("uid", interview.uid)
    event.add("sequence", interview.sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=interview.minutes))
    event.add("summary", interview.summary)
    if interview.location:
        event.add("location", interview.location)
    if interview.description:
        event.add("description", interview.description)
    organizer = vCalAddress(f"mailto:{interview.organizer_email}")
    organizer.params["cn"] = vText(interview.organizer_name)
    event.add("organizer", organizer)
    if interview.attendee_email:
        attendee = vCalAddress(f"mailto:{interview.attendee_email}")
        if interview.attendee_name:
            attendee.params["cn"] = vText(interview.attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        event.add("attendee", attendee)
    if method == "CANCEL":
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
    cal.add_component(event)
    day = interview.starts_at.date()
    cal.add_missing_timezones(first_date=date(day.year - 1, 1, 1), last_date=date(day.year + 2, 1, 1))
    return bytes(cal.to_ical())
