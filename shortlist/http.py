"""The request class: text from the browser without control characters.

A NUL character cannot be stored in a PostgreSQL text column (the insert fails), and no
control character other than tab, line feed and carriage return belongs in anything
typed into a form or a URL. They are removed from form values, field names and query
arguments before any view sees them; a URL path holding one matches nothing (404).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Request
from werkzeug.utils import cached_property

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    return CONTROL.sub("", text)


class CleanRequest(Request):
    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None and any(CONTROL.search(k) or CONTROL.search(v) for k, v in form.items(multi=True)):
            self.__dict__["form"] = self.parameter_storage_class(
                [(clean(k), clean(v)) for k, v in form.items(multi=True)])

    @cached_property
    def args(self) -> Any:  # type: ignore[override]
        raw = super().args
        if not any(CONTROL.search(k) or CONTROL.search(v) for k, v in raw.items(multi=True)):
            return raw
        return self.parameter_storage_class([(clean(k), clean(v)) for k, v in raw.items(multi=True)])

    @property
    def path_has_control_characters(self) -> bool:
        return bool(CONTROL.search(self.path))
