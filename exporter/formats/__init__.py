"""Exporters: one module per format, each registered under the ``exporter.formats`` entry point."""
