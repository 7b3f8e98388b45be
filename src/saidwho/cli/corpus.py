"""Corpus commands (ingest, quotes, speakers, show, export): placeholder for the store work."""

COMMANDS: list = []
