"""Organisations' codes and e-mail domains (issue 17): pure checks, no Flask, no database."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: a short code: 2 to 20 capital letters, digits or hyphens, starting with a letter ("KCC", "NHS-LTH")
CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9-]{1,19}")
_DOMAIN = re.compile(r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "&"})


def is_code(text: str) -> bool:
    return CODE_PATTERN.fullmatch(text) is not None


def derive_code(name: str, taken: Iterable[str] = ()) -> str:
    """A code for an organisation known only by its name (a campaign file written before
    organisations had codes): the initials of its words ("London Borough of Lewisham": LBL),
    numbered when another organisation has them (LBL2)."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", re.sub(r"['’]", "", name)) if w.lower() not in _SMALL_WORDS]
    base = "".join(w[0] for w in words).upper()[:16]
    if len(base) < 2:
        base = (re.sub(r"[^A-Z0-9]", "", name.upper()) + "ORG")[:3]
    if not base[0].isalpha():
        base = "O" + base[:15]
    used = {code.upper() for code in taken}
    code, n = base, 1
    while code in used:
        n += 1
        code = f"{base}{n}"
    return code


def parse_domains(text: str) -> tuple[list[str], list[str]]:
    """E-mail domains written one a line or separated by commas or spaces: (the domains,
    lower case, each once, in order; the entries that are not domains)."""
    domains: list[str] = []
    bad: list[str] = []
    for entry in re.split(r"[\s,;]+", text.strip()):
        entry = entry.strip().lower().removeprefix("@")
        if not entry:
            continue
        if _DOMAIN.fullmatch(entry) is None:
            bad.append(entry)
        elif entry not in domains:
            domains.append(entry)
    return domains, bad


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()
