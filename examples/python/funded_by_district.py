"""OKU Timur's planners look at 2024 by district: of the vulnerable workers on the roster, whom
the regency's quota of 4,650 funds (Inpres 2/2021; Perbup OKU Timur 2024) and who waits, in each
kecamatan (the first three parts of the domicile code, 16.08.xx), saved as a bar chart.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/funded_by_district.py \\
        --roster examples/data/oku-timur-2024-roster.csv --out funded-by-district.png

A CSV roster is read by entitle as `entitle run` reads it; an .xlsx one through
pandas.read_excel(path, dtype={"nik": str}) with openpyxl (the NIK as text, the rest as typed).
"""

import argparse
import os

import matplotlib

matplotlib.use("Agg")  # a file, not a window
import matplotlib.pyplot as plt
import pandas as pd

import entitle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roster", required=True, help="a CSV roster (or .xlsx) of the program")
    parser.add_argument("--policies", default="policies", help="the policies directory")
    parser.add_argument("--out", required=True, help="the chart, as PNG")
    args = parser.parse_args()
    if os.path.abspath(args.out) == os.path.abspath(args.roster):
        parser.error("--out is the roster: an output never overwrites an input")

    policy = entitle.load("oku-timur/pekerja-rentan-2024-iuran", policies=args.policies)
    # A CSV is read by entitle itself, as `entitle run` reads it; a spreadsheet through pandas, the
    # NIK as text, so that a 16-digit NIK stays a NIK.
    roster = pd.read_excel(args.roster, dtype={"nik": str}) if args.roster.endswith(".xlsx") else args.roster
    decisions, summary = entitle.run(policy, roster, period="2024-01..2024-12", columns=["domicile_code"])

    district = decisions["domicile_code"].str.slice(0, 8).rename("kecamatan")
    table = pd.crosstab(district, decisions["quota_apbd_oku_timur_2024"])
    table = table.reindex(columns=["funded", "waitlisted"], fill_value=0)
    table = table[(table["funded"] + table["waitlisted"]) > 0]

    quota = summary["quotas"][0]
    print(f"rows read {summary['rows']['read']}, rejected {summary['rows']['rejected']}")
    print(f"funded {quota['funded']}, waitlisted {quota['waitlisted']}, the regency pays {entitle.rupiah(quota['spent'])}")
    print(f"districts {len(table)}; most waiting: {table['waitlisted'].idxmax()} ({table['waitlisted'].max()})")
    for name, row in table.iterrows():
        print(f"  {name}: funded {row['funded']}, waitlisted {row['waitlisted']}")

    axes = table.plot.bar(stacked=True, figsize=(11, 5), color=["#2e7d32", "#f9a825"])
    axes.set_title("OKU Timur 2024: vulnerable workers funded and waitlisted, by kecamatan")
    axes.set_xlabel("kecamatan (domicile code)")
    axes.set_ylabel("people")
    axes.legend(title="", loc="upper left", bbox_to_anchor=(1, 1))
    plt.tight_layout()
    plt.savefig(args.out, dpi=100)
    print(f"chart: {args.out}")


if __name__ == "__main__":
    main()
