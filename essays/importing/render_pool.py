"""
Rendering an import's essays in worker processes.

Rendering Markdown is most of the processor time of importing an essay,
and it needs nothing but the text: worker processes render the next batch
while this one writes the current batch to the database. A small import
(or a machine with one processor) renders in this process: starting the
workers costs more than it saves.
"""

import functools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from sergesite.markup import render

# Fewer essays than this are rendered here, without workers.
MIN_FOR_WORKERS = 40
MAX_WORKERS = 4

_render_essay = functools.partial(render, anchors=True)


def _processors():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Renderer:
    """submit(bodies) starts rendering a batch; results(handle) waits for it."""

    def __init__(self, total):
        self.total = total
        self.pool = None
        self.workers = 1

    def __enter__(self):
        workers = min(_processors(), MAX_WORKERS)
        if self.total >= MIN_FOR_WORKERS and workers > 1:
            self.workers = workers
            # forkserver: never fork a process that may hold database
            # connections and threads; the workers import only the renderer.
            self.pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("forkserver")
            )
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        return False

    def submit(self, bodies):
        if self.pool is None:
            return [_render_essay(body) for body in bodies]
        # A few chunks per worker: big enough to pay for the pickling,
        # small enough that the workers finish together.
        size = max(1, len(bodies) // (self.workers * 4))
        return [
            self.pool.submit(_render_chunk, bodies[start : start + size])
            for start in range(0, len(bodies), size)
        ]

    def results(self, handle):
        if self.pool is None:
            return handle
        return [rendered for future in handle for rendered in future.result()]


def _render_chunk(bodies):
    return [_render_essay(body) for body in bodies]
