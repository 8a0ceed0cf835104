"""Content negotiation over the format registry, with werkzeug's Accept parsing: `format=` wins,
then the most specific, highest-q Accept entry (media-type parameters such as charset are
ignored); ties and a request without Accept go to the default. The choice depends only on the
Accept header and the format parameter, so it is made once per distinct pair and remembered."""
from __future__ import annotations

from functools import lru_cache

from flask import request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg.rdf.formats import FORMATS, Format


@lru_cache(maxsize=512)
def _accept(header: str) -> MIMEAccept:
    return MIMEAccept([(value.split(";")[0].strip().lower(), q)
                       for value, q in parse_accept_header(header, MIMEAccept)])


@lru_cache(maxsize=1024)
def negotiate(kind: str, default: str, accept: str, fmt: str | None,
              allow: tuple[str, ...] | None = None) -> Format | None:
    """The format of `kind` ("results" or "rdf") for this Accept header and format= value; None
    when the client accepts none. `allow` narrows the choice to these names."""
    offered = {mt: f for mt, f in FORMATS.by_media_type(kind).items() if allow is None or f.name in allow}
    if fmt:
        by_name = {f.name: f for f in offered.values()}
        return by_name.get(fmt) or offered.get(fmt)
    parsed = _accept(accept)
    if not parsed:
        return FORMATS.get(default)
    first = FORMATS.get(default).media_type
    best = parsed.best_match([first, *(mt for mt in offered if mt != first)])
    return offered.get(best) if best else None


@lru_cache(maxsize=512)
def browser(accept: str) -> bool:
    """text/html named in Accept, and accepted at least as much as any data format."""
    parsed = _accept(accept)
    if not any(value == "text/html" for value, _q in parsed):
        return False
    data = [mt for kind in ("results", "rdf") for mt in FORMATS.by_media_type(kind)]
    return parsed["text/html"] >= max((parsed[mt] for mt in data), default=0)


def choose(kind: str, default: str, *, allow: tuple[str, ...] | None = None) -> Format | None:
    """`negotiate` for the current Flask request."""
    return negotiate(kind, default, request.headers.get("Accept", ""), request.values.get("format"), allow)


def has_accept() -> bool:
    return bool(request.accept_mimetypes)


def wants_html() -> bool:
    """A browser (see `browser`), unless the request names its format."""
    return "format" not in request.values and browser(request.headers.get("Accept", ""))
