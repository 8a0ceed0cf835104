"""WSGI entry point: `waitress-serve server:app`, or `kg serve` (settings from KG_* variables)."""
from kg.ingest import ingest_records
from kg.serve.app import create_app

app = create_app(ingest=ingest_records)
