"""The one HTTP client newskg uses (external stores, reconciliation, `kg ingest --server`):
urllib with optional digest or basic credentials; a failure is an HTTPFailure that carries the
server's status and words."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

USER_AGENT = "newskg/0.2 (https://w3id.org/newskg)"


class HTTPFailure(OSError):
    def __init__(self, message: str, *, status: int | None = None, body: bytes = b"",
                 content_type: str | None = None) -> None:
        super().__init__(message)
        self.status, self.body, self.content_type = status, body, content_type


class Client:
    def __init__(self, *, auth: str = "", urls: tuple[str, ...] = (), timeout: float = 300.0,
                 headers: dict[str, str] | None = None) -> None:
        """`auth`: user:password, answered to a digest or basic challenge from any of `urls`."""
        handlers: list[urllib.request.BaseHandler] = []
        if auth:
            user, _, password = auth.partition(":")
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in urls:
                passwords.add_password(None, url, user, password)
            handlers = [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)
        self.timeout = timeout
        self.headers = {"User-Agent": USER_AGENT, **(headers or {})}

    def send(self, method: str, url: str, body: bytes | None = None, *, content_type: str | None = None,
             accept: str | None = None, timeout: float | None = None) -> bytes:
        headers = {**self.headers, **{k: v for k, v in (("Content-Type", content_type), ("Accept", accept)) if v}}
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self._opener.open(req, timeout=timeout or self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            text = e.read()
            raise HTTPFailure(f"{method} {url}: HTTP {e.code}: {text[:500].decode(errors='replace').strip()}",
                              status=e.code, body=text, content_type=e.headers.get_content_type()) from None
        except OSError as e:
            raise HTTPFailure(f"{method} {url}: {e}") from None

    def post_form(self, url: str, fields: dict[str, str], *, accept: str | None = None) -> bytes:
        return self.send("POST", url, urllib.parse.urlencode(fields).encode(),
                         content_type="application/x-www-form-urlencoded", accept=accept)

    def get(self, url: str, params: dict[str, str], *, accept: str | None = None, timeout: float | None = None) -> bytes:
        return self.send("GET", url + "?" + urllib.parse.urlencode(params), accept=accept, timeout=timeout)
