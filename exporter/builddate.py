"""The timestamp written into outputs: SOURCE_DATE_EPOCH when set, else the issue's date."""

from __future__ import annotations

import datetime as dt
import os


def build_datetime(fallback: dt.date) -> dt.datetime:
    """The reproducible build time (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime(fallback.year, fallback.month, fallback.day, tzinfo=dt.timezone.utc)


def source_date_epoch(fallback: dt.date) -> str:
    """SOURCE_DATE_EPOCH as a string, for engines that read it from the environment."""
    return str(int(build_datetime(fallback).timestamp()))
