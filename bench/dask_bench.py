"""A national-scale roster on Dask (docs/distributed.md): N OKU Timur people, every one different
(their own id, NIK, wage, birth date), decided by a LocalCluster of two worker processes against
the same steps in one process, and `entitle run` on the file for reference.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/dask_bench.py --rows 10000000 \\
        --tool build/release/entitle --policies policies --work /var/tmp/entitle-bench

The one-process figure does what each worker does (read the CSV with pandas, write it as the
roster entitle reads, decide, write the decisions), so the ratio is the cluster's own. The run
checks that the cluster's decisions are the tool's, byte for byte. Figures: bench/README.md.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pandas as pd

POLICY = "oku-timur/pekerja-rentan-2024-iuran"
YEAR = "2024-01..2024-12"
OCCUPATIONS = np.array(["guru_mengaji", "marbot", "petani", "nelayan", "pedagang", "buruh_harian", "ojek", "lainnya"])


def people(first: int, n: int, random) -> pd.DataFrame:
    """Rows first .. first + n: ids, NIKs and wages all distinct, birth dates spread over 45 years."""
    i = np.arange(first, first + n)
    district = np.char.zfill(random.integers(1, 21, n).astype(str), 2)
    return pd.DataFrame({
        "id": np.char.add("OKUT-", np.char.zfill(i.astype(str), 8)),
        "nik": (1608010101000000 + i * 7).astype(str),
        "domicile_code": np.char.add(np.char.add("16.08.", district), ".2001"),
        "birth_date": (np.datetime64("1960-01-01") + random.integers(0, 45 * 365, n)).astype(str),
        "employment": "informal",
        "occupation": OCCUPATIONS[random.integers(0, len(OCCUPATIONS), n)],
        "extreme_poor": np.where(random.integers(0, 4, n) == 0, "true", "false"),
        "monthly_income": (400000 + i % 2100000).astype(str),
        "enrolled_bpjs_tk": np.where(random.integers(0, 10, n) == 0, "true", "false"),
    })


def write_roster(path: str, rows: int) -> None:
    random = np.random.default_rng(7)
    with open(path, "w", newline="") as f:
        for first in range(0, rows, 1_000_000):
            people(first, min(1_000_000, rows - first), random).to_csv(f, index=False, header=first == 0,
                                                                        lineterminator="\n")


def timed(what: str, rows: int, go):
    start = time.perf_counter()
    result = go()
    seconds = time.perf_counter() - start
    print(f"{what:<44} {seconds:8.1f} s  {seconds / rows * 1e6:7.2f} us a row", flush=True)
    return seconds, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--tool", required=True)
    parser.add_argument("--policies", required=True)
    parser.add_argument("--work", required=True, help="a new directory for the roster and the outputs")
    parser.add_argument("--blocksize", default="64MB", help="Dask's partition size (default 64MB)")
    args = parser.parse_args()

    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    import entitle
    import entitle.dask

    os.makedirs(args.work)
    roster = os.path.join(args.work, "roster.csv")
    timed("roster written", args.rows, lambda: write_roster(roster, args.rows))
    policy = entitle.load(POLICY, policies=args.policies)

    def one_process():
        frame = pd.read_csv(roster, dtype=str, keep_default_na=False)
        text, _, _ = entitle._roster_csv(frame, policy, "id", {})
        del frame
        rows, _, summary = policy._batch(period=YEAR).run(text, "csv")
        with open(os.path.join(args.work, "one-process.csv"), "w") as f:
            f.write(rows)

    one, _ = timed("one process (pandas, entitle, decisions file)", args.rows, one_process)
    tool_out = os.path.join(args.work, "tool.csv")
    for threads in (1, 2):
        timed(f"entitle run --threads {threads} (the file)", args.rows, lambda: subprocess.run(
            [args.tool, "run", "--policy", POLICY, "--policies", args.policies, "--roster", roster, "--out", tool_out,
             "--period", YEAR, "--threads", str(threads)], check=True, capture_output=True))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        def on_dask():
            ddf = dd.read_csv(roster, dtype=str, keep_default_na=False, blocksize=args.blocksize)
            return entitle.dask.run(policy, ddf, os.path.join(args.work, "dask"), period=YEAR, client=client)

        two, run = timed("Dask, 2 worker processes on 127.0.0.1", args.rows, on_dask)
    print(f"partitions: {len(run.decisions)}; one process / Dask: {one / two:.2f}x", flush=True)
    with open(tool_out, "rb") as f:
        tool = f.read()
    joined = bytearray()
    for k, name in enumerate(run.decisions):
        with open(name, "rb") as f:
            header, rest = f.read().split(b"\n", 1)
        joined += (header + b"\n" if k == 0 else b"") + rest
    same = bytes(joined) == tool
    print("decisions identical to entitle run's:", same, flush=True)
    shutil.rmtree(args.work)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
