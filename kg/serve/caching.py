"""Standard HTTP validators for every GET of the server: an `ETag` made of the store's version
(it changes with each write through the server), the URL and what the client accepts, and
`Last-Modified` from the time of the last write. A repeated request that sends the validator back
(`If-None-Match`, or `If-Modified-Since` with no `If-None-Match`) gets `304 Not Modified` before
any query runs. Every answer says `Cache-Control: no-cache`: a cache may keep it but must ask.
The rules are plain functions of the headers, for the Flask app and for the front's query path."""
from __future__ import annotations

import hashlib
from email.utils import formatdate, parsedate_to_datetime

from flask import Flask, Response, g, request

from kg.serve.common import CORS, services

CACHEABLE = {"GET", "HEAD"}


def etag(version: str, full_path: str, accept: str, accept_encoding: str) -> str:
    variant = "\x1f".join([version, full_path, accept, accept_encoding])
    return 'W/"' + hashlib.sha256(variant.encode()).hexdigest()[:24] + '"'


def fresh(tag: str, modified: float, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """Does the client's copy (named by its conditional headers) still hold?"""
    if if_none_match is not None:
        return tag in {m.strip() for m in if_none_match.split(",")} or if_none_match.strip() == "*"
    if if_modified_since:
        try:
            return int(modified) <= parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def validators(tag: str, modified: float) -> dict[str, str]:
    return {"ETag": tag, "Last-Modified": formatdate(modified, usegmt=True), "Cache-Control": "no-cache"}


NOT_MODIFIED_HEADERS = {**CORS, "Vary": "Accept"}


def install(app: Flask) -> None:
    app.before_request(_not_modified)
    app.after_request(_validators)


def _etag() -> str:
    """The request's validator, made once per request (both hooks ask for it)."""
    if "kg_etag" not in g:
        g.kg_etag = etag(services().pool.version, request.full_path, request.headers.get("Accept", ""),
                         request.headers.get("Accept-Encoding", ""))
    return g.kg_etag


def _cacheable() -> bool:
    return request.method in CACHEABLE and "Authorization" not in request.headers and request.endpoint not in (
        "health", "static")


def _not_modified() -> Response | None:
    if not _cacheable() or not fresh(_etag(), services().pool.modified, request.headers.get("If-None-Match"),
                                     request.headers.get("If-Modified-Since")):
        return None
    return Response(status=304, headers={**NOT_MODIFIED_HEADERS, "ETag": _etag(), "Cache-Control": "no-cache"})


def _validators(response: Response) -> Response:
    if _cacheable() and response.status_code == 200:
        for name, value in validators(_etag(), services().pool.modified).items():
            if name == "Cache-Control":
                response.headers.setdefault(name, value)
            else:
                response.headers[name] = value
    return response
