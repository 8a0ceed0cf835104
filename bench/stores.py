"""The same articles into the embedded store, `oxigraph serve` and OpenLink Virtuoso.

    python bench/stores.py ../shared/corpus/diplomacy/articles.jsonl [--limit 500]

Loads the model once, then ingests the first --limit articles into each store in turn (servers
started on 127.0.0.1 with fresh databases), timing each ingest; then runs every shipped query on
the three stores and compares the answers row for row (values compared as tests/test_remote.py
does: Virtuoso writes booleans as 0/1).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.config import Config  # noqa: E402
from kg.ingest import ingest_records  # noqa: E402
from kg.extract.nlp import load  # noqa: E402
from kg.read.sources import read_inputs  # noqa: E402
from kg.stores import open_store  # noqa: E402
from tests.helpers import oxigraph_server, virtuoso_server  # noqa: E402
from tests.test_remote import _answers  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--limit", type=int, default=500)
    args = ap.parse_args()
    records = []
    for item in read_inputs(args.paths, max_bytes=20_000_000):
        records.append(item)
        if len(records) == args.limit:
            break
    tmp = Path(tempfile.mkdtemp(prefix="kg-stores-"))
    nlp = load(Config.load().spacy_model)
    nlp("warm up")
    ox_proc, ox_base = oxigraph_server(tmp / "oxigraph")
    vt_proc, vt_base = virtuoso_server(tmp / "virtuoso")
    settings = {
        "embedded": {"KG_STORE": str(tmp / "embedded")},
        "oxigraph serve": {"KG_STORE": f"sparql+{ox_base}/query"},
        "virtuoso": {"KG_STORE": f"sparql+{vt_base}/sparql", "KG_STORE_UPDATE": f"{vt_base}/sparql-auth",
                     "KG_STORE_GSP": f"{vt_base}/sparql-graph-crud-auth", "KG_STORE_AUTH": "dba:dba"},
    }
    stores = {}
    try:
        for name, env in settings.items():
            config = Config.load(env=env)
            stores[name] = open_store(config)
            t0 = time.perf_counter()
            summary = ingest_records(records, config, nlp=nlp, store=stores[name])
            took = time.perf_counter() - t0
            print(f"{name:15} {took:7.1f} s  {summary.articles / took:6.2f} articles/s  | {summary.line()}", flush=True)
        print(f"{'query':30} {'rows':>6}  equal on all three")
        for path in sorted((ROOT / "queries").glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            answers = [_answers(s, text) for s in stores.values()]
            print(f"{path.stem:30} {sum(answers[0].values()):6}  {answers[0] == answers[1] == answers[2]}")
    finally:
        for proc in (ox_proc, vt_proc):
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
