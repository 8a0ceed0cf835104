"""WSGI entry point: `waitress-serve server:app`, or `kg serve` (settings from KG_* variables)."""
from kg.web import create_app

app = create_app()
