"""docrepo: the document repository and search service of a research organisation's intranet."""

__version__ = "0.1.0"
