"""A roster decided on a Dask cluster (docs/distributed.md): each partition read, decided and costed
on the workers, quotas and budgets allocated over the whole roster where the run is started.

    import dask.dataframe as dd
    from distributed import Client
    import entitle, entitle.dask

    client = Client("127.0.0.1:8786")
    roster = dd.read_csv("roster-*.csv", dtype=str, keep_default_na=False)
    policy = entitle.load("oku-timur/pekerja-rentan-2024-iuran", policies="policies")
    result = entitle.dask.run(policy, roster, "run-2024", period="2024-01..2024-12")

The decisions, one CSV per partition, read in partition order after their headers, are byte for
byte those `entitle run` writes for the whole roster; the summary is that run's.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import uuid
from typing import NamedTuple

from . import Error, Policy, _compiled_again, _decoded, _raising, _roster_csv


class Run(NamedTuple):
    """What `run` wrote: the decisions and rejected rows by partition, and the summary (also in
    summary.json)."""

    decisions: list[str]
    rejected: list[str]
    summary: dict


@functools.lru_cache(maxsize=8)
def _policy(portable: tuple[str, str]) -> Policy:
    """The policy on this worker: compiled once a process."""
    return _compiled_again(portable)


@functools.lru_cache(maxsize=8)
def _batch(portable: tuple[str, str], options: str):
    """The batch on this worker: made once a process for each policy and options."""
    return _raising(_policy(portable)._compiled.batch, options)


def _part_text(frame, index: int, portable: tuple[str, str], id_column: str, column_names: dict) -> tuple[str, int]:
    """Partition `index` as a CSV roster, and the lines of it after its header."""
    try:
        text, _, lines = _roster_csv(frame, _policy(portable), id_column, column_names)
    except Error as e:  # "row 3" is the partition's
        raise Error(e.message, e.code, f"partition {index}" + (f", {e.location}" if e.location else "")) from None
    return text, lines


def _lines(part: tuple[str, int]) -> int:
    return part[1]


def _survey(part: tuple[str, int], lines_before: int, portable: tuple[str, str], options: str) -> bytes:
    return _raising(_batch(portable, options).survey, part[0], "csv", lines_before)


def _write(path: str, text: str) -> None:
    """`text` as the file `path`, whole: written beside it, then renamed (a task Dask runs again
    after a worker is lost writes it again)."""
    partial = f"{path}.{uuid.uuid4().hex}.partial"
    with open(partial, "x", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(partial, path)


def _run_part(part: tuple[str, int], lines_before: int, placement: bytes, paths: tuple[str, str],
              portable: tuple[str, str], options: str) -> bytes:
    """Runs a partition with its placement; writes its decisions and rejected rows; its totals."""
    rows, rejects, totals = _raising(_batch(portable, options).run_part, part[0], "csv", lines_before, placement)
    _write(paths[0], rows)
    _write(paths[1], rejects)
    return totals


def _in_order(client, futures) -> list:
    """The futures' results; when some failed, the error of the first of them in partition order
    (the roster's first problem, as a run over the whole roster stops at it)."""
    import distributed

    distributed.wait(futures)
    for f in futures:
        if f.status == "error":
            raise f.exception()
    return client.gather(futures)


def _new_directory(out: str | os.PathLike) -> tuple[str, str]:
    """`out` (which must not exist) and the directory the run writes in until it is done."""
    final = os.path.abspath(os.fspath(out))
    if os.path.lexists(final):
        raise Error(f"{os.fspath(out)} exists; a run writes a new directory and never over files", "invalid_syntax",
                    "")
    parent = os.path.dirname(final)
    if not os.path.isdir(parent):
        raise Error(f"{parent} is not a directory", "invalid_syntax", "")
    working = os.path.join(parent, f".{os.path.basename(final)}.{uuid.uuid4().hex}.partial")
    os.mkdir(working)
    return final, working


def run(policy: Policy, roster, out: str | os.PathLike, as_of=None, period=None, id_column: str = "id",
        client=None, **options) -> Run:
    """Decides every person of the Dask DataFrame `roster` on the cluster of `client` (the current
    Dask client when None), as `entitle.run` decides a pandas DataFrame, and writes the run into the
    new directory `out`: decisions-00000.csv, rejected-00000.csv ... one of each per partition, in
    partition order, each with its header, and summary.json (entitle-summary/1). `out` is made
    whole or not at all: the run writes beside it and renames the directory when every part is
    done. Every worker and this process must see `out`'s parent at the same path (on a cluster of
    several machines, a shared filesystem).

    Options are those of `entitle.run` (docs/python.md); `separator` is for roster files and is
    refused. Rejected rows name the roster's lines as `entitle run` does over the partitions'
    rows written one after the other (line 2 the first row of the first partition).
    """
    import distributed

    if options.get("separator") not in (None, ","):
        raise Error("a separator is for roster files; a DataFrame is written with commas", "invalid_syntax",
                    "/separator")
    if not hasattr(roster, "to_delayed"):
        raise Error("entitle.dask.run takes a Dask DataFrame (for a pandas one, use entitle.run)", "invalid_syntax",
                    "")
    batch_options = Policy._batch_options(as_of, period, id_column=id_column, **options)
    batch = _raising(policy._compiled.batch, batch_options)  # the options checked before anything runs
    if client is None:
        try:
            client = distributed.get_client()
        except ValueError:
            raise Error("no Dask client: connect one first (distributed.Client(\"scheduler:8786\"))",
                        "invalid_syntax", "") from None
    portable = policy._portable()
    column_names = dict(options.get("column_names") or {})
    final, working = _new_directory(out)
    started = []  # every future of the run, cancelled when it fails
    try:
        frames = client.compute(roster.to_delayed())
        parts = client.map(_part_text, frames, range(len(frames)), portable=portable, id_column=id_column,
                           column_names=column_names, pure=False)
        started += parts
        del frames  # each partition's frame is let go once its text is made
        lines = _in_order(client, client.map(_lines, parts, pure=False))
        before = [0, *itertools.accumulate(lines)][:-1]  # the lines of the partitions before each
        surveys = _in_order(client, client.map(_survey, parts, before, portable=portable, options=batch_options,
                                               pure=False))
        plan = _raising(batch.plan, surveys)
        names = [(f"decisions-{k:05d}.csv", f"rejected-{k:05d}.csv") for k in range(len(parts))]
        paths = [(os.path.join(working, d), os.path.join(working, r)) for d, r in names]
        placements = client.scatter(plan.placements())  # on the workers, not in the tasks
        runs = client.map(_run_part, parts, before, placements, paths, portable=portable, options=batch_options,
                          pure=False)
        started += runs
        totals = _in_order(client, runs)
        summary = _raising(plan.merge, totals)
        _write(os.path.join(working, "summary.json"), summary + "\n")  # as `entitle run --summary` writes it
        if os.path.lexists(final):  # made while the run went on
            raise Error(f"{os.fspath(out)} exists; a run writes a new directory and never over files",
                        "invalid_syntax", "")
        os.rename(working, final)
    except BaseException:
        client.cancel(started)  # so that no task writes in the directory once it is removed
        shutil.rmtree(working, ignore_errors=True)
        raise
    return Run([os.path.join(final, d) for d, _ in names], [os.path.join(final, r) for _, r in names],
               _decoded(summary))
