"""kg ingest / export / query / validate / serve: parse options, call the library, report."""
from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import io
import json
import logging
import sys
from pathlib import Path

from kg.config import SETTINGS, Config
from kg.rdf.formats import FORMATS
from kg.rdf.queries import tables
from kg.stores.search import KINDS


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s", stream=sys.stderr, force=True)
    try:
        config = Config.load(store=getattr(args, "store", None), base_iri=getattr(args, "base_iri", None),
                             spacy_model=getattr(args, "model", None), workers=getattr(args, "workers", None),
                             cluster=getattr(args, "cluster", None))
        return args.func(args, config)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (RuntimeError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def _ingest(args: argparse.Namespace, config: Config) -> int:
    from kg.read.sources import count_inputs
    with Progress(count_inputs(args.paths), bar=sys.stderr.isatty()) as progress:
        if args.server:
            from kg.client import ingest_via_server
            summary = ingest_via_server(args.paths, config, args.server, batch=args.batch, progress=progress)
        else:
            from kg.ingest import ingest
            summary = ingest(args.paths, config, progress=progress)
    print(summary.line())
    return 1 if summary.failed else 0


class Progress:
    """Ingest progress on stderr: on a terminal a bar with the total, rate and time left (tqdm);
    otherwise (a log, a pipe) one plain line every EVERY seconds."""

    EVERY = 5.0

    def __init__(self, total: int | None, *, bar: bool, stream=None) -> None:
        self.total, self.bar, self.last, self.stream = total, None, 0.0, stream or sys.stderr
        self.logs = contextlib.nullcontext()
        if bar:
            from tqdm import tqdm
            from tqdm.contrib.logging import logging_redirect_tqdm
            self.bar = tqdm(total=total, unit=" articles", file=self.stream, smoothing=0.1)
            self.logs = logging_redirect_tqdm()  # log lines above the bar, not through it

    def __call__(self, summary) -> None:
        if self.bar is not None:
            self.bar.update(summary.done - self.bar.n)
            self.bar.set_postfix_str(f"{summary.skipped} skipped, {summary.failed} failed", refresh=False)
        elif summary.seconds - self.last >= self.EVERY:
            self.last = summary.seconds
            of = f" of {self.total}" if self.total is not None else ""
            print(f"ingest: {summary.done}{of} read, {summary.articles} ingested, {summary.skipped} skipped, "
                  f"{summary.failed} failed ({summary.articles / summary.seconds:.1f} articles/s)", file=self.stream)

    def __enter__(self) -> "Progress":
        self.logs.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()
        self.logs.__exit__(*exc)


def _export(args: argparse.Namespace, config: Config) -> int:
    from kg.stores import open_store
    with contextlib.ExitStack() as stack:
        if args.salvage:
            from kg.stores import EmbeddedStore
            from kg.stores.directory import salvage_copy
            copy = stack.enter_context(salvage_copy(Path(config.store)))
            store = EmbeddedStore(Path(copy) / "store", config.base_iri, read_only=True)
        else:
            store = open_store(config, read_only=True)
        return _write_export(args, store)


def _write_export(args: argparse.Namespace, store) -> int:
    if args.table:
        from kg.rdf.queries import spreadsheet_safe, table_query
        from kg.rdf.sparql import serialize
        body = spreadsheet_safe(serialize(store.query(table_query(args.table)), "csv"))
        if args.output == "-":
            sys.stdout.buffer.write(body)
        else:
            Path(args.output).write_bytes(body)
        rows = sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1
        print(f"{rows} rows written to {'stdout' if args.output == '-' else args.output}", file=sys.stderr)
        return 0
    if args.output == "-":
        n = store.export(args.format, sys.stdout.buffer)
    else:
        with open(args.output, "wb") as out:
            n = store.export(args.format, out)
    print(f"{n} {'triples' if args.format in ('turtle', 'ntriples') else 'quads'} written to "
          f"{'stdout' if args.output == '-' else args.output}", file=sys.stderr)
    return 0


def _backup(args: argparse.Namespace, config: Config) -> int:
    from kg.stores import open_embedded
    store = open_embedded(config, read_only=True)
    store.backup(args.target)
    print(f"{len(store)} quads backed up from {config.store} to {args.target}", file=sys.stderr)
    return 0


def _restore(args: argparse.Namespace, config: Config) -> int:
    from kg.stores import open_embedded
    from kg.stores.directory import restore
    restore(Path(args.backup), Path(config.store))
    print(f"{len(open_embedded(config, read_only=True))} quads restored from {args.backup} to {config.store}",
          file=sys.stderr)
    return 0


def _train(args: argparse.Namespace, config: Config) -> int:
    from kg.learn.train import train
    report = train(Path(args.shared), out=Path(args.out), root=Path(args.corpus) if args.corpus else None,
                   articles=args.articles, seed=args.seed, cache=Path(args.cache) if args.cache else None)
    print(json.dumps(report, indent=1, sort_keys=True))
    return 0


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except OSError:  # query text too long to be a file name
        return False


def _query(args: argparse.Namespace, config: Config) -> int:
    from kg.rdf.guard import Refused, check_query
    from kg.rdf.sparql import QueryError, is_graph, serialize, table
    from kg.stores import open_store
    text = args.query
    if text.endswith((".rq", ".sparql")) or _is_file(text):
        try:
            text = Path(text).read_text(encoding="utf-8")
        except OSError as e:
            print(f"error: cannot read the query file {text}: {e.strerror}", file=sys.stderr)
            return 2
    try:
        check_query(text, allow=config.service_allow.split())
    except Refused as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    store = open_store(config, read_only=True)
    try:
        result = store.query(text)
        if args.format == "table":
            print(table(result))
        else:
            fmt = args.format
            if FORMATS.get(fmt).kind == "results" and is_graph(result):
                fmt = "turtle"
            sys.stdout.buffer.write(serialize(result, fmt))
    except QueryError as e:
        print(f"error: bad query: {e}", file=sys.stderr)
        return 2
    return 0


def _search(args: argparse.Namespace, config: Config) -> int:
    from kg.stores import open_embedded
    from kg.stores.search import SearchIndex
    store = open_embedded(config, read_only=True)
    index = SearchIndex.beside(store)
    if args.rebuild or index.new or index.stale:
        print(f"{index.rebuild(store.ox)} rows indexed from the store's articles", file=sys.stderr)
    if not args.words:
        return 0
    try:
        hits, total, counts = index.search(" ".join(args.words), kind=args.kind, limit=args.limit)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for h in hits:
        print(f"{h.kind:12} {h.label[:100]}\n{'':12} {h.iri}")
    shown = f"the first {len(hits)} of " if len(hits) < total else ""
    print(f"({shown}{total} hit{'s' if total != 1 else ''}: "
          f"{', '.join(f'{n} {k}' for k, n in sorted(counts.items()))})" if total else "(no hits)")
    return 0


def _link(args: argparse.Namespace, config: Config) -> int:
    from kg.link.outlinks import Outlinks, relink
    from kg.stores import open_store
    config = dataclasses.replace(config, link_table=args.table or config.link_table,
                                 reconcile_endpoint=args.reconcile or config.reconcile_endpoint)
    if not (config.link_table or config.reconcile_endpoint):
        print("error: give --table FILE or --reconcile ENDPOINT (or KG_LINK_TABLE / KG_RECONCILE_ENDPOINT)",
              file=sys.stderr)
        return 2
    n = relink(open_store(config), Outlinks.from_config(config))
    print(f"{n} new owl:sameAs links")
    return 0


def _validate(args: argparse.Namespace, config: Config) -> int:
    from kg.stores import open_embedded
    from kg.stores.validate import validate
    store = open_embedded(config, read_only=True)
    conforms, report = validate(store)
    print(report)
    return 0 if conforms else 1


def _serve(args: argparse.Namespace, config: Config) -> int:
    from kg.ingest import ingest_records
    from kg.serve.app import create_app, serve
    from kg.stores import open_embedded
    app = create_app(config, store=open_embedded(config, create=args.create), ingest=ingest_records, front=True)
    serve(app, host=args.host, port=args.port,
          ready=lambda url: print(f"serving {config.store} on {url}/sparql", file=sys.stderr))
    return 0


def _parser() -> argparse.ArgumentParser:
    settings = "\n".join(f"  {s.env:20} {s.help} (default: {s.default})" for s in SETTINGS)
    p = argparse.ArgumentParser(prog="kg", description="newskg: news articles -> a knowledge graph of meetings "
                                "and statements, served over SPARQL.",
                                epilog="settings (environment):\n" + settings,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, func, help_: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_, description=help_)
        c.add_argument("--store", help="store directory (KG_STORE)")
        c.add_argument("--base-iri", help="base of instance IRIs (KG_BASE_IRI)")
        c.set_defaults(func=func)
        return c

    c = command("ingest", _ingest, "read articles (.txt, .html, .jsonl, directories, - for stdin) into the store")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--model", help="spaCy model name or path (KG_SPACY_MODEL)")
    c.add_argument("--workers", type=int, help="processes for the NLP (KG_WORKERS)")
    c.add_argument("--cluster", metavar="ADDRESS", help="run the NLP and extraction on a Dask cluster: a scheduler "
                   "address, or local:N for N local worker processes (KG_CLUSTER)")
    c.add_argument("--server", metavar="URL", help="send the articles to a running `kg serve` at URL (its /ingest, "
                   "with KG_UPDATE_TOKEN) instead of opening the store: ingest while it serves")
    c.add_argument("--batch", type=int, default=50, help="articles per request with --server (default: 50)")

    c = command("export", _export, "write the whole store deterministically, or one table as CSV")
    c.add_argument("--format", choices=FORMATS.dump_names(), default="nquads")
    c.add_argument("--table", choices=sorted(tables()),
                   help="instead of RDF: one row per meeting, statement or person, with its source article, as CSV")
    c.add_argument("-o", "--output", default="-", help="output file (default: - for stdout)")
    c.add_argument("--salvage", action="store_true", help="read what is readable from a damaged store (from a "
                   "copy; the damaged directory is not changed)")

    c = command("backup", _backup, "copy the store, consistently, to a new directory (Oxigraph's backup)")
    c.add_argument("target", metavar="BACKUP_DIR")

    c = command("restore", _restore, "copy a backup made by kg backup to --store, which must be new or empty")
    c.add_argument("backup", metavar="BACKUP_DIR")

    c = command("query", _query, "run a SPARQL query (text or .rq file) over the union of all graphs")
    c.add_argument("query", metavar="QUERY_OR_FILE")
    c.add_argument("--format", choices=["table", *FORMATS.names()], default="table",
                   help="a results format (SELECT/ASK) or an RDF format (CONSTRUCT/DESCRIBE); a results format "
                   "for a graph gives Turtle")

    c = command("search", _search, "full-text search in headlines, evidence sentences, statements and names "
                "(the index beside the store; ingest keeps it in step)")
    c.add_argument("words", nargs="*", metavar="WORD", help='words that must all occur; "a phrase"; prefix*')
    c.add_argument("--kind", choices=KINDS, help="only hits of this kind")
    c.add_argument("--limit", type=int, default=20, help="hits to print (default: 20)")
    c.add_argument("--rebuild", action="store_true", help="read every article of the store again first (after "
                   "writes other than ingest: SPARQL Update, the Graph Store protocol)")

    c = command("link", _link, "add owl:sameAs links to the entities already in the store, from a link table "
                "and/or by reconciliation against a SPARQL endpoint")
    c.add_argument("--table", help="CSV (name,iri[,type]) or RDF file of names -> IRIs (KG_LINK_TABLE)")
    c.add_argument("--reconcile", metavar="ENDPOINT", help="SPARQL endpoint to match labels against "
                   "(KG_RECONCILE_ENDPOINT)")

    command("validate", _validate, "check the store against the SHACL shapes of the ontology (kg/ontology/shapes.ttl)")

    c = command("train", _train, "fit the learned decisions on the annotated corpus (training/) and write them "
                "as package data; needs scikit-learn (pip install -e \".[train]\") and the corpora in --shared")
    c.add_argument("--shared", default="../shared", help="the folder holding corpus/ and eval/ (default: ../shared)")
    c.add_argument("--corpus", help="the annotated corpus folder (default: training/ of this checkout)")
    c.add_argument("--out", default=str(Path(__file__).resolve().parent / "extract" / "models"),
                   help="where the weights go (default: the package's kg/extract/models)")
    c.add_argument("--articles", type=int, help="train on this many training articles only (seeded draw)")
    c.add_argument("--seed", type=int, default=13)
    c.add_argument("--cache", help="a folder to keep the parsed corpus in between runs")

    c = command("serve", _serve, "serve the SPARQL endpoint and entity pages")
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--port", type=int, default=5000)
    c.add_argument("--create", action="store_true", help="make an empty store when --store names none yet")
    return p


if __name__ == "__main__":
    sys.exit(main())
