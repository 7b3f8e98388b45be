"""The package's version, in a module of its own: code that records it (the store, batch runs)
reads it here without importing the package's whole interface (and so without a cycle)."""

__version__ = "0.2.0"
