"""saidwho.ingest"""
