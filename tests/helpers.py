"""Small builders shared by the tests."""
from __future__ import annotations

from datetime import date

from kg.read.clean import to_article
from kg.extract.mentions import find_mentions
from kg.model import Article
from kg.extract.entities import Entities, resolve
from kg.extract.roles import extract_roles
from kg.read.sources import Record


def article(text: str, published: date | None = date(2025, 5, 7), article_id: str = "t1") -> Article:
    return Article(id=article_id, text=text, published=published, content_hash="h-" + article_id)


def analyse(nlp, text: str, published: date | None = date(2025, 5, 7)):
    """(article, doc, entities, roles) for a text run through `nlp`."""
    art = article(text, published)
    doc = nlp(art.text)
    ents = resolve(doc, find_mentions(doc))
    return art, doc, ents, extract_roles(doc, ents)


def name_of(ents: Entities, key: str) -> str:
    return ents.entities[key].name


def record(text: str, rid: str = "r1", kind: str = "text", **meta) -> Record:
    return Record(id=rid, kind=kind, body=text, source=f"{rid}.txt", meta=meta)


def clean(text: str, **meta) -> Article:
    return to_article(record(text, **meta))


# ---------------------------------------------------------------- real servers on 127.0.0.1
def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    import time
    import urllib.request
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def oxigraph_server(directory, *, load: str | None = None, read_only: bool = False):
    """`oxigraph serve` (pip install oxigraph) on a free port of 127.0.0.1, its default graph the
    union of the named graphs: (process, base URL)."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if load:
        subprocess.run([exe, "load", "--location", str(directory), "--file", load], check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([exe, "serve-read-only" if read_only else "serve", "--location", str(directory),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/query?query=ASK%7B%7D")
    return proc, base


VIRTUOSO_INI = "/etc/virtuoso-opensource-7/virtuoso.ini"


def virtuoso_server(directory):
    """OpenLink Virtuoso (Debian's virtuoso-opensource) with a fresh database in `directory`, its
    SQL and HTTP ports on 127.0.0.1: (process, base URL). User dba, password dba."""
    import re
    import subprocess
    from pathlib import Path
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ini = Path(VIRTUOSO_INI).read_text()
    http, sql = free_port(), free_port()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db/", f"{directory}/")
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111", f"ServerPort = 127.0.0.1:{sql}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890", f"ServerPort = 127.0.0.1:{http}", ini)
    ini = re.sub(r"(?m)^ResultSetMaxRows\s*=.*", "ResultSetMaxRows = 10000000", ini)
    ini = re.sub(r"(?m)^DirsAllowed\s*=.*", f"DirsAllowed = ., {directory}, /usr/share/virtuoso-opensource-7/vad", ini)
    (directory / "virtuoso.ini").write_text(ini)
    proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(directory / "virtuoso.ini")],
                            cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    wait_for(base + "/sparql?query=ASK%7B%7D", 120)
    return proc, base


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it (an outbound call caught)."""

    def __init__(self) -> None:
        import socket
        import threading
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.count = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.count += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()
