"""Newsletter exporter: one Markdown issue into PDF, EPUB, email and web editions."""

__version__ = "0.1.0"
