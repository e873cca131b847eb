"""A large batch (the CLI's) scored by a pool of worker processes over the available cores.

Every file is scored and flagged on its own (``scorer.batch.check_source``: it depends on that file
alone), so workers take chunks of files in any order; each sends back compact rows
(``scorer.batchrow.BatchRow``), never whole results, and the parent keeps them in the order of the
files, then runs the checks across applicants (负责人冲突) and the ranking once, over all of them.
The result is the same, to the last flag, as scoring the files one after another in this process:
``workers=1`` does exactly that, and a test compares the two.

Only our own plain rows pass between our own processes (the sources a worker reads are the files'
text, already size-checked by the reader). Files are read as they are submitted and at most a few
chunks per worker are in flight, so 100,000 files are never all in memory at once.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from itertools import chain, islice

from .batch import Batch, BatchError, Source, checked_or_error, kept_rows
from .batchrow import BatchRow, compact
from .checks import batch_flags, rank_rows
from .flags import DEFAULT_SETTINGS, FlagSettings
from .model import Sheet

CHUNK = 64  # files per task: large enough that sending them costs little, small enough to keep both cores busy
IN_FLIGHT = 4  # tasks per worker queued ahead
SERIAL_BELOW = 2 * CHUNK  # fewer files than this are scored in this process: starting workers would cost more

_sheets: dict[str, Sheet] = {}
_settings: FlagSettings = DEFAULT_SETTINGS


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _start(sheets: dict[str, Sheet], settings: FlagSettings) -> None:
    global _sheets, _settings
    _sheets, _settings = sheets, settings


def _one(source: Source, sheets: dict[str, Sheet], settings: FlagSettings) -> BatchRow | BatchError:
    outcome = checked_or_error(source, sheets, settings)
    return outcome if isinstance(outcome, BatchError) else compact(outcome, settings)


def _chunk(sources: list[Source]) -> list[BatchRow | BatchError]:
    """A worker's task: its files scored and flagged one by one (the full results are dropped here)."""
    return [_one(source, _sheets, _settings) for source in sources]


def _chunks(sources: Iterable[Source]) -> Iterator[list[Source]]:
    it = iter(sources)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def _pooled(chunks: Iterator[list[Source]], sheets: dict[str, Sheet], settings: FlagSettings,
            workers: int) -> Iterator[BatchRow | BatchError]:
    """Each chunk's outcomes in the order of the chunks, with at most ``IN_FLIGHT`` tasks per worker queued."""
    # fork shares the loaded library with the workers at no cost; a process with threads (a server) spawns
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method), initializer=_start,
                             initargs=(sheets, settings)) as pool:
        pending: deque[Future[list[BatchRow | BatchError]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_chunk, chunk))
            if len(pending) >= IN_FLIGHT * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """While the parent takes in the workers' rows, the cyclic collector waits: every row it unpickles is new
    and kept, so each collection the allocations set off walks rows that are all alive (measured: 75 us a
    row with the collector on, 8 us off, 22 us with the earlier rows frozen). The parent scores nothing
    here, so it makes next to no cyclic garbage meanwhile; the collector is back as it was at the end."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def run_rows(
    sources: Iterable[Source],
    sheets: dict[str, Sheet],
    settings: FlagSettings = DEFAULT_SETTINGS,
    workers: int | None = None,
) -> Batch[BatchRow]:
    """Compact rows of every source, scored by ``workers`` processes (default: the available cores; 1: here,
    one after another), with the checks across applicants and the ranking done once all are in."""
    workers = available_cores() if workers is None else max(1, workers)
    chunks = _chunks(sources)
    head = list(islice(chunks, SERIAL_BELOW // CHUNK))
    pooled = workers > 1 and sum(len(c) for c in head) >= SERIAL_BELOW
    if not pooled:
        outcomes: Iterator[BatchRow | BatchError] = (_one(s, sheets, settings) for chunk in chain(head, chunks) for s in chunk)
    else:
        outcomes = _pooled(chain(head, chunks), sheets, settings, workers)
    batch: Batch[BatchRow] = Batch()
    with _collector_paused() if pooled else nullcontext(), kept_rows() as kept:
        for outcome in outcomes:
            if isinstance(outcome, BatchError):
                batch.errors.append(outcome)
                continue
            batch.rows.append(outcome.attach(sheets))
            kept(len(batch.rows))
        batch_flags(batch.rows, settings)
        batch.ranked = rank_rows(batch.rows)
    return batch
