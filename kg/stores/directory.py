"""What a store directory holds, checked before Oxigraph opens it: Oxigraph (RocksDB) makes a new
empty database in a directory whose CURRENT file is gone and then deletes the old table files, so
a directory that is not a whole store is refused, never opened for writing. Backups, restores and
the salvage of a damaged store's readable quads live here too.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from kg.stores.base import StoreError

_DATABASE_FILE = re.compile(r"^(\d+\.(sst|log|blob)|MANIFEST-\d+|OPTIONS-\d+)$")
_MANIFEST = re.compile(r"^MANIFEST-\d+$")


def is_store(path: Path) -> bool:
    """True for a whole store, False for a place a new one may be made (no directory, or an empty
    one). Raises StoreError, naming the damage and the way out, for anything else."""
    if not path.exists():
        return False
    if not path.is_dir():
        raise StoreError(f"{path} is a file, not a store directory")
    names = {p.name for p in path.iterdir()}
    if not names:
        return False
    tables = sorted(n for n in names if _DATABASE_FILE.match(n))
    if "CURRENT" not in names:
        if tables:
            raise StoreError(damaged(path, f"its CURRENT file is missing while {len(tables)} database files remain"))
        raise StoreError(f"{path} is not empty and holds no store ({', '.join(sorted(names)[:5])}…): "
                         "name an empty or new directory")
    manifest = (path / "CURRENT").read_text(encoding="ascii", errors="replace").strip()
    if not _MANIFEST.match(manifest) or manifest not in names:
        raise StoreError(damaged(path, f"its CURRENT file names {manifest[:40]!r}, which is not there"))
    return True


def damaged(path: Path, what: str) -> str:
    return (f"the store at {path} is damaged: {what}. Nothing was changed. Ways out: restore a backup "
            f"(kg restore BACKUP --store NEW_DIR), or save what is readable "
            f"(kg export --store {path} --salvage -o FILE.nq) and ingest again")


def salvage_copy(path: Path) -> tempfile.TemporaryDirectory:
    """A copy of a damaged store whose CURRENT file points at its newest manifest, for reading only;
    the damaged directory itself is never written."""
    manifests = sorted((p for p in path.glob("MANIFEST-*") if _MANIFEST.match(p.name)),
                       key=lambda p: int(p.name.split("-")[1]))
    if not manifests:
        raise StoreError(f"{path} holds no database manifest: nothing can be read back")
    tmp = tempfile.TemporaryDirectory(prefix="kg-salvage-")
    copy = Path(tmp.name) / "store"
    shutil.copytree(path, copy, ignore=shutil.ignore_patterns("LOCK"))
    (copy / "CURRENT").write_text(manifests[-1].name + "\n", encoding="ascii")
    return tmp


def restore(backup: Path, target: Path) -> None:
    """Copy a backup made by `kg backup` to `target`, which must not hold anything yet."""
    if not is_store(backup):
        raise StoreError(f"{backup} holds no backup")
    if target.exists() and any(target.iterdir()):
        raise StoreError(f"{target} is not empty: restore into a new directory (the store there is left alone)")
    partial = target.with_name(target.name + ".restoring")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(backup, partial)
    if target.exists():
        target.rmdir()
    partial.rename(target)
