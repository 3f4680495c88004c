"""entitle on Dask (docs/distributed.md): one roster decided by the tool (C++), the C interface,
the Python module and a Dask cluster of two worker processes on 127.0.0.1, the bytes compared.

The roster is the demo's (6,000 rows, 5 of them bad: a date that does not exist on line 101, an
unknown occupation on line 2001, a row short of a field on line 3001, and OKUT-04000 on lines
4001 and 5001), read by pandas. Figures: OKU Timur 2024 (PP 44/2015 Lampiran II and Pasal 46:
Rp10.000 JKK + Rp6.800 JKM a month on the Rp1.000.000 base, Rp201.600 a year, all paid by the
regency; quota 4,650, so 4,650 x Rp201.600 = Rp937.440.000)."""

import ctypes
import decimal
import os
import subprocess

import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import entitle
import entitle.dask

POLICIES = os.environ["ENTITLE_POLICIES"]
ROSTER = os.environ["ENTITLE_ROSTER"]
TOOL = os.environ["ENTITLE_TOOL"]
C_LIBRARY = os.environ["ENTITLE_C_LIBRARY"]
OKU = "oku-timur/pekerja-rentan-2024-iuran"
YEAR = "2024-01..2024-12"


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def oku():
    return entitle.load(OKU, policies=POLICIES)


@pytest.fixture(scope="module")
def frame():
    return pd.read_csv(ROSTER, dtype=str, keep_default_na=False)


def _joined(files) -> bytes:
    """The partitions' files as one: the first header, then every file's lines after its header."""
    out = b""
    for k, name in enumerate(files):
        with open(name, "rb") as f:
            header, rest = f.read().split(b"\n", 1)
        out += (header + b"\n" if k == 0 else b"") + rest
    return out


def _c_run(roster, out, rejects) -> str:
    """`roster` decided through the C interface (entitle.h), as a PHP or Go program would."""
    lib = ctypes.CDLL(C_LIBRARY)
    handle = ctypes.c_void_p
    lib.entitle_last_error_message.restype = ctypes.c_char_p
    lib.entitle_free.argtypes = [ctypes.c_void_p]

    def check(status):
        assert status == 0, lib.entitle_last_error_message().decode()

    library, policy, batch, summary = handle(), handle(), handle(), ctypes.c_void_p()
    check(lib.entitle_library_new(ctypes.byref(library)))
    check(lib.entitle_library_add_directory(library, POLICIES.encode()))
    check(lib.entitle_policy_compile(library, OKU.encode(), None, ctypes.byref(policy)))
    check(lib.entitle_batch_new(policy, b'{"period": "2024-01..2024-12"}', ctypes.byref(batch)))
    check(lib.entitle_batch_run_file(batch, str(roster).encode(), str(out).encode(), str(rejects).encode(),
                                     ctypes.byref(summary)))
    text = ctypes.string_at(summary).decode()
    lib.entitle_free(summary)
    for free, h in ((lib.entitle_batch_free, batch), (lib.entitle_policy_free, policy),
                    (lib.entitle_library_free, library)):
        free(h)
    return text


def test_cpp_c_python_and_dask_write_the_same_bytes(client, oku, frame, tmp_path):
    roster = tmp_path / "roster.csv"  # the DataFrame as a file: pandas gave the short row its field
    frame.to_csv(roster, index=False, lineterminator="\n")
    done = subprocess.run([TOOL, "run", "--policy", OKU, "--policies", POLICIES, "--roster", str(roster),
                           "--out", str(tmp_path / "tool.csv"), "--rejects", str(tmp_path / "tool-rejected.csv"),
                           "--summary", str(tmp_path / "tool-summary.json"), "--period", YEAR], capture_output=True)
    assert done.returncode == 1, done.stderr  # rows were rejected (docs/cli.md)
    tool = (tmp_path / "tool.csv").read_bytes()
    tool_rejected = (tmp_path / "tool-rejected.csv").read_bytes()
    tool_summary = (tmp_path / "tool-summary.json").read_bytes()

    summary = _c_run(roster, tmp_path / "c.csv", tmp_path / "c-rejected.csv")
    assert (tmp_path / "c.csv").read_bytes() == tool
    assert (tmp_path / "c-rejected.csv").read_bytes() == tool_rejected
    assert summary.encode() + b"\n" == tool_summary

    text, _, _ = entitle._roster_csv(frame, oku, "id", {})  # what entitle.run gives the batch
    rows, rejects, _ = oku._batch(period=YEAR).run(text, "csv")
    assert (rows.encode(), rejects.encode()) == (tool, tool_rejected)

    parts = dd.from_pandas(frame, npartitions=7)  # 858 rows a partition: OKUT-04000 in the 5th and 6th
    run = entitle.dask.run(oku, parts, tmp_path / "dask", period=YEAR, client=client)
    assert len(run.decisions) == 7 and len(run.rejected) == 7
    assert _joined(run.decisions) == tool
    assert _joined(run.rejected) == tool_rejected
    assert (tmp_path / "dask" / "summary.json").read_bytes() == tool_summary
    fill = run.summary["quotas"][0]
    assert (fill["funded"], fill["spent"]) == (4650, decimal.Decimal("937440000"))
    # The quota's cut falls inside the partitions, not at their edges: most hold both kinds.
    places = [set(pd.read_csv(p, dtype=str)["quota_apbd_oku_timur_2024"]) for p in run.decisions]
    both = [p for p in places if {"funded", "waitlisted"} <= p]
    assert len(both) >= 5
    duplicated = pd.read_csv(run.rejected[4], dtype=str)
    assert list(duplicated["line"]) == ["4001"]
    assert "appears on lines 4001 and 5001" in duplicated["reason"][0]


def test_partitions_read_by_dask_from_a_file_give_one_runs_decisions_of_them(client, oku, tmp_path):
    roster = dd.read_csv(ROSTER, dtype=str, keep_default_na=False, blocksize=100_000)
    assert roster.npartitions > 3
    run = entitle.dask.run(oku, roster, tmp_path / "dask", period=YEAR, client=client)
    text, _, _ = entitle._roster_csv(roster.compute(), oku, "id", {})  # the same rows, in one process
    rows, rejects, summary = oku._batch(period=YEAR).run(text, "csv")
    assert _joined(run.decisions) == rows.encode()
    assert _joined(run.rejected) == rejects.encode()
    assert (tmp_path / "dask" / "summary.json").read_text() == summary + "\n"
    assert run.summary["rows"]["read"] == 6000


def test_strict_stops_at_the_rosters_first_bad_row_and_writes_nothing(client, oku, frame, tmp_path):
    with pytest.raises(entitle.Error) as failure:
        entitle.dask.run(oku, dd.from_pandas(frame, npartitions=4), tmp_path / "dask", period=YEAR, strict=True,
                         client=client)
    assert failure.value.location == "line 101, column birth_date"
    assert os.listdir(tmp_path) == []  # neither the directory nor what it was written in


def test_a_bad_value_is_named_by_its_partition_and_row(client, oku, frame, tmp_path):
    bad = frame.copy()
    bad["monthly_income"] = bad["monthly_income"].astype(object)
    bad.loc[1000, "monthly_income"] = 1500000.5  # a float that is not whole: not exact
    with pytest.raises(entitle.Error) as failure:
        entitle.dask.run(oku, dd.from_pandas(bad, npartitions=3), tmp_path / "dask", period=YEAR, client=client)
    assert failure.value.location == "partition 0, row 1000, column monthly_income"
    assert "float" in failure.value.message


def test_an_existing_directory_is_never_written_over(client, oku, frame, tmp_path):
    (tmp_path / "dask").mkdir()
    with pytest.raises(entitle.Error, match="exists"):
        entitle.dask.run(oku, dd.from_pandas(frame.head(10), npartitions=2), tmp_path / "dask", client=client)
    assert os.listdir(tmp_path / "dask") == []


def _cluster_commands() -> list[list[str]]:
    """The commands of docs/distributed.md's sh block, as written."""
    import re
    import shlex

    page = open(os.path.join(os.environ["ENTITLE_SOURCE"], "docs", "distributed.md")).read()
    (block,) = re.findall(r"```sh\n(.*?)```", page, re.S)
    return [shlex.split(line) for line in block.splitlines() if line.strip()]


def test_the_docs_scheduler_and_workers_run_the_demo_roster(oku, tmp_path):
    commands = _cluster_commands()
    assert [c[:2] for c in commands] == [["dask", "scheduler"], ["dask", "worker"]]
    started = []
    try:
        for command in commands:
            started.append(subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))
        with Client("tcp://127.0.0.1:8786", timeout=60) as c:
            c.wait_for_workers(2, timeout=60)
            roster = dd.read_csv(ROSTER, dtype=str, keep_default_na=False, blocksize=100_000)
            run = entitle.dask.run(oku, roster, tmp_path / "oku-2024", period=YEAR, client=c)
        fill = run.summary["quotas"][0]
        assert (fill["funded"], fill["waitlisted"], fill["spent"]) == (4650, 616, decimal.Decimal("937440000"))
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=60)
