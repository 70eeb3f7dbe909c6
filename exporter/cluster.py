"""Run export tasks on a Dask cluster: ``newsletter build --executor tcp://HOST:PORT``.

The cluster is a ``concurrent.futures`` executor (``Client.get_executor``), so the build waits on its
futures exactly as on the local process pool. Tasks travel as :class:`exporter.remote.PortableTask`
and come back as bytes; Dask reruns a task whose worker died on another worker.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import Future

from exporter.errors import ExportError, UsageError
from exporter.remote import PortableTask, ThemeFiles, pack_task, pack_theme, run_portable
from exporter.themes import Theme

ADDRESS = re.compile(r"^(tcp|tls)://[^\s/:]+:\d{1,5}$")
CONNECT_TIMEOUT = 10  # seconds to reach the scheduler, and again to see a worker
TASK_RETRIES = 1  # besides Dask's own rescheduling of tasks whose worker died


class ClusterExecutor:
    """A connection to a Dask scheduler that runs portable export tasks on its workers."""

    def __init__(self, address: str, theme: Theme, timeout: float = CONNECT_TIMEOUT):
        if not ADDRESS.match(address):
            raise UsageError(f"executor '{address}' is not a Dask scheduler address such as tcp://HOST:PORT")
        try:
            import distributed
        except ImportError:
            raise UsageError("--executor needs Dask's distributed: pip install 'newsletter-exporter[dask]'") from None
        for name in ("distributed", "distributed.client", "distributed.comm", "distributed.core"):
            logging.getLogger(name).setLevel(logging.CRITICAL)  # failures are reported once, by the build
        try:
            self.client = distributed.Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise ExportError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s: "
                              f"{' '.join(str(error).split()) or type(error).__name__}") from None
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError):
            self.client.close()
            raise ExportError(f"the Dask scheduler at {address} has no worker (waited {timeout:g} s)") from None
        self.executor = self.client.get_executor(retries=TASK_RETRIES, pure=False)
        self.theme: ThemeFiles = pack_theme(theme)

    def submit(self, ident: str, edition, exporter) -> Future:
        """Send one task to the cluster; its future's result is the task's files as bytes."""
        task: PortableTask = pack_task(ident, edition, exporter, self.theme)
        return self.executor.submit(run_portable, task)

    def close(self) -> None:
        """Cancel what is left and disconnect (the cluster itself keeps running)."""
        self.client.close()

