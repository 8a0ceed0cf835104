"""Where the graph lives. `open_store` is the one place that reads KG_STORE: a directory is the
embedded Oxigraph store, sparql+http(s)://… any SPARQL 1.1 store."""
from __future__ import annotations

import logging
from pathlib import Path

from kg.config import Config
from kg.stores.base import Store, StoreError
from kg.stores.embedded import EmbeddedStore, disk_full

log = logging.getLogger(__name__)
REMOTE = ("sparql+http://", "sparql+https://")


def is_remote(config: Config) -> bool:
    return config.store.startswith(REMOTE)


def open_store(config: Config, *, read_only: bool = False) -> Store:
    """The store KG_STORE names."""
    if is_remote(config):
        from kg.stores.remote import RemoteStore
        return RemoteStore(config.store.removeprefix("sparql+"), config.base_iri, update_url=config.store_update,
                           gsp_url=config.store_gsp, auth=config.store_auth)
    return open_embedded(config, read_only=read_only)


def open_embedded(config: Config, *, read_only: bool = False, create: bool = True) -> EmbeddedStore:
    """The embedded store, for what only it can do (serve, validate); a clear error for a remote one.
    Without `create`, a directory that holds no store yet is refused rather than made one."""
    if is_remote(config):
        raise StoreError(f"{config.store}: this needs the embedded store (a directory), not a remote SPARQL store; "
                         "query the remote store's own endpoint")
    path = Path(config.store)
    if not path.exists() and not read_only and create:
        log.info("a new store at %s (KG_STORE or --store chooses another)", path.resolve())
    return EmbeddedStore(path, config.base_iri, read_only=read_only, create=create)


__all__ = ["EmbeddedStore", "Store", "StoreError", "disk_full", "is_remote", "open_embedded", "open_store"]
