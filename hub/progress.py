"""Progress bars in the terminal for catalog syncs (``hub sync``, and the hub's first load)."""

from __future__ import annotations

import sys
from typing import NoReturn, TextIO

from tqdm import tqdm

from federation.index import SyncProgress, SyncResult, SyncStage


class SyncBars:
    """A ``ProgressCallback`` drawing one bar per network and stage, on stderr by default."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self._bars: dict[str, tqdm[NoReturn]] = {}  # bars counted by hand, not iterated
        self._stages: dict[str, SyncStage] = {}

    def __call__(self, progress: SyncProgress) -> None:
        network = progress.network
        if progress.stage in (SyncStage.DONE, SyncStage.FAILED):
            self._finish(network)
            return
        if self._stages.get(network) is not progress.stage:
            self._finish(network)
            kind = "full load" if progress.full else "sync"
            self._bars[network] = tqdm(
                desc=f"{network} {kind}: {progress.stage.value}",
                total=progress.total,
                unit=" items",
                file=self.stream,
                leave=True,
                dynamic_ncols=True,
            )
            self._stages[network] = progress.stage
        bar = self._bars[network]
        if progress.total is not None:
            bar.total = max(progress.total, progress.done)
        bar.update(progress.done - bar.n)

    def close(self) -> None:
        """Finish every bar still drawn."""
        for network in list(self._bars):
            self._finish(network)

    def _finish(self, network: str) -> None:
        bar = self._bars.pop(network, None)
        self._stages.pop(network, None)
        if bar is not None:
            bar.close()


def summary(result: SyncResult) -> str:
    """One line per network once its sync ended."""
    kind = "full load" if result.full else "sync"
    if not result.ok:
        return f"{result.network}: {kind} failed after {result.seconds:.1f} s: {result.error}"
    return (
        f"{result.network}: {kind} in {result.seconds:.1f} s: {result.upserted} products "
        f"written, {result.deleted} removed, {result.suppliers} suppliers, "
        f"{result.cooperatives} cooperatives"
    )
