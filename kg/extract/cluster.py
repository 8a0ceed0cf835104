"""Extraction on a Dask distributed cluster: workers run the NLP and the extractors on batches of
articles and send back each article's facts; this process links them to the store's entities and
writes them, in input order, so that the graph is the one a local ingest gives.

KG_CLUSTER (or `kg ingest --cluster`) is a scheduler address (`tcp://host:8786`; the workers need
newskg and the model installed, as `pip install newskg` gives) or `local:N` for a LocalCluster of
N worker processes on this machine.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from kg.model import Article, ArticleFacts
from kg.extract.pipeline import extract_docs

IN_FLIGHT_PER_WORKER = 3  # batches queued per worker: enough to keep them busy, bounded in memory


def extract_on_cluster(address: str, articles: Iterable[Article], config) -> Iterator[tuple[Article, ArticleFacts | str]]:
    """(article, facts or the reason it failed) for every article, in the order given."""
    from distributed import Client, LocalCluster
    if address.startswith("local:"):
        cluster = LocalCluster(n_workers=int(address[6:]), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(address)
    try:
        workers = max(1, len(client.scheduler_info()["workers"]))
        pending: deque = deque()
        source = iter(articles)
        while True:
            while len(pending) < workers * IN_FLIGHT_PER_WORKER:
                batch = list(islice(source, config.batch_size))
                if not batch:
                    break
                pending.append((batch, client.submit(extract_batch, config.spacy_model, batch, pure=False)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                yield from future.result()
            except Exception as e:  # noqa: BLE001 — a lost worker or a batch that cannot travel
                for article in batch:
                    yield article, f"extraction on the cluster failed ({type(e).__name__}: {e})"
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def extract_batch(model: str, articles: list[Article]) -> list[tuple[Article, ArticleFacts | str]]:
    """On a worker: the facts of each article (the model is loaded once per worker process)."""
    from kg.extract.nlp import load, parse
    nlp = load(model)  # once per worker process
    return list(extract_docs(parse(nlp, ((a.text, a) for a in articles), batch_size=max(1, len(articles)), workers=0)))
