"""Content negotiation over the format registry, with werkzeug's Accept parsing: `format=` wins,
then the most specific, highest-q Accept entry (media-type parameters such as charset are
ignored); ties and a request without Accept go to the default."""
from __future__ import annotations

from flask import request
from werkzeug.datastructures import MIMEAccept

from kg.rdf.formats import FORMATS, Format


def _accept() -> MIMEAccept:
    return MIMEAccept([(value.split(";")[0].strip().lower(), q) for value, q in request.accept_mimetypes])


def choose(kind: str, default: str, *, allow: tuple[str, ...] | None = None) -> Format | None:
    """The format of `kind` ("results" or "rdf") the client asked for; None when it accepts none.
    `allow` narrows the choice to these names."""
    offered = {mt: f for mt, f in FORMATS.by_media_type(kind).items() if allow is None or f.name in allow}
    fmt = request.values.get("format")
    if fmt:
        by_name = {f.name: f for f in offered.values()}
        return by_name.get(fmt) or offered.get(fmt)
    accept = _accept()
    if not accept:
        return FORMATS.get(default)
    first = FORMATS.get(default).media_type
    best = accept.best_match([first, *(mt for mt in offered if mt != first)])
    return offered.get(best) if best else None


def has_accept() -> bool:
    return bool(request.accept_mimetypes)


def wants_html() -> bool:
    """A browser: text/html named in Accept, and accepted at least as much as any data format."""
    if "format" in request.values:
        return False
    accept = _accept()
    if not any(value == "text/html" for value, _q in accept):
        return False
    data = [mt for kind in ("results", "rdf") for mt in FORMATS.by_media_type(kind)]
    return accept["text/html"] >= max((accept[mt] for mt in data), default=0)
