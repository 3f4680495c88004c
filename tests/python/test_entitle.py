"""The Python module (docs/python.md), as a planner's script uses it. Figures: OKU Timur 2024
(PP 44/2015 Lampiran II and Pasal 46: Rp10.000 JKK + Rp6.800 JKM a month on the Rp1.000.000
base, so Rp201.600 a year, all paid by the regency; quota 4,650, so 4,650 x Rp201.600 =
Rp937.440.000) and the national pack's work-accident death (PP 82/2019: Rp73.500.000)."""

import datetime
import decimal
import os
import subprocess

import pandas as pd
import pytest

import entitle

POLICIES = os.environ["ENTITLE_POLICIES"]
ROSTER = os.environ["ENTITLE_ROSTER"]  # the demo roster: 6,000 rows, 5 of them bad
TOOL = os.environ["ENTITLE_TOOL"]
OKU = "oku-timur/pekerja-rentan-2024-iuran"
YEAR = "2024-01..2024-12"
FARMER = {"nik": "1608010101800001", "domicile_code": "16.08.01.2001", "birth_date": "1980-01-01",
          "employment": "informal", "occupation": "petani", "extreme_poor": False, "monthly_income": 2000000,
          "enrolled_bpjs_tk": False}


@pytest.fixture(scope="module")
def oku():
    return entitle.load(OKU, policies=POLICIES)


def test_a_farmer_at_the_income_limit_is_eligible_and_the_regency_pays_rp201600(oku):
    decision = oku.decide(FARMER, period=YEAR)
    assert decision["status"] == "eligible" and decision["missing"] == []
    statement = oku.contributions(FARMER, period=YEAR)
    assert statement["total"] == decimal.Decimal("201600")
    assert statement["totals"] == [{"payer": "PEMKAB_OKU_TIMUR", "amount": decimal.Decimal("201600")}]
    assert all(isinstance(item["due"], decimal.Decimal) for item in statement["items"])


def test_a_missing_income_is_undetermined_and_named(oku):
    person = {k: v for k, v in FARMER.items() if k != "monthly_income"}
    decision = oku.decide(person, as_of="2024-01-01")
    assert decision["status"] == "undetermined" and decision["missing"] == ["monthly_income"]


def test_facts_may_be_dates_decimals_and_whole_floats_but_not_fractions(oku):
    same = {**FARMER, "birth_date": datetime.date(1980, 1, 1), "monthly_income": decimal.Decimal("2000000")}
    assert oku.decide(same, as_of="2024-01-01")["status"] == "eligible"
    assert oku.decide({**FARMER, "monthly_income": 2000000.0}, as_of="2024-01-01")["status"] == "eligible"
    with pytest.raises(entitle.Error) as failure:
        oku.decide({**FARMER, "monthly_income": 1500000.5}, as_of="2024-01-01")
    assert failure.value.location == "/monthly_income" and "float" in failure.value.message


def test_errors_carry_their_code_and_place(oku):
    with pytest.raises(entitle.Error) as failure:
        oku.decide({**FARMER, "birth_date": "1980-02-30"}, as_of="2024-01-01")
    assert (failure.value.code, failure.value.location) == ("invalid_date", "/birth_date")
    assert "that month has 29 days" in failure.value.message
    with pytest.raises(entitle.Error) as failure:
        oku.decide(FARMER, as_of="2024-02-30")
    assert failure.value.location == "/as_of"
    with pytest.raises(entitle.Error, match='no policy called "no/such-policy"'):
        entitle.load("no/such-policy", policies=POLICIES)
    with pytest.raises(entitle.Error) as failure:
        entitle.load(OKU, policies=POLICIES, settings={"apbd_oku_timur_2024.quota": -1})
    assert "apbd_oku_timur_2024.quota" in str(failure.value)


def test_a_work_accident_death_pays_rp73500000():
    national = entitle.load("id/bpjs-ketenagakerjaan", policies=POLICIES)
    person = {"declared_income": 1000000, "contribution_months": 3, "membership_active": True}
    result = national.claim(person, "work_accident_death", "2024-05-10", children=["tk_sd", "smp"])
    assert result["total"] == decimal.Decimal("73500000")
    with pytest.raises(entitle.Error) as failure:
        national.claim(person, "death", "2024-05-10", months=-1)
    assert failure.value.location == "/months"


def test_a_dataframe_roster_gives_decisions_with_decimal_amounts_and_its_rejected_rows(oku):
    df = pd.DataFrame([{"id": "A1", **FARMER},
                       {"id": "A2", **FARMER, "birth_date": "1980-13-01"},
                       {"id": "A3", **FARMER, "employment": "asn", "monthly_income": None}])
    decisions, summary = entitle.run(oku, df, period=YEAR)
    assert list(decisions["id"]) == ["A1", "A3"]
    assert list(decisions["status"]) == ["eligible", "ineligible"]
    assert decisions.loc[0, "due_JKK"] == decimal.Decimal("120000")
    assert decisions.loc[0, "paid_PEMKAB_OKU_TIMUR"] == decimal.Decimal("201600")
    rejected = decisions.attrs["rejected"]
    assert list(rejected["row"]) == [1] and list(rejected["column"]) == ["birth_date"]
    assert summary["rows"] == {"read": 3, "decided": 2, "rejected": 1, "blank_lines": 0}
    assert summary["total"] == decimal.Decimal("201600")


def test_the_demo_roster_funds_the_quota_of_4650_for_rp937440000(oku):
    decisions, summary = entitle.run(oku, ROSTER, period=YEAR)
    quota = summary["quotas"][0]
    assert (summary["rows"]["read"], summary["rows"]["rejected"]) == (6000, 5)
    assert (quota["funded"], quota["waitlisted"], quota["spent"]) == (4650, 616, decimal.Decimal("937440000"))
    assert (decisions["quota_apbd_oku_timur_2024"] == "funded").sum() == 4650


def test_a_quota_set_for_the_run_funds_1000(oku):
    thousand = entitle.load(OKU, policies=POLICIES, settings={"apbd_oku_timur_2024.quota": 1000})
    _, summary = entitle.run(thousand, ROSTER, period=YEAR)
    assert summary["quotas"][0]["funded"] == 1000
    assert summary["quotas"][0]["spent"] == decimal.Decimal("201600000")  # 1,000 x Rp201.600


def test_the_decisions_are_the_bytes_entitle_run_writes(oku, tmp_path):
    out = tmp_path / "decisions.csv"
    done = subprocess.run([TOOL, "run", "--policy", OKU, "--policies", POLICIES, "--roster", ROSTER, "--out",
                           str(out), "--period", YEAR], capture_output=True)
    assert done.returncode == 1  # rows were rejected (docs/cli.md), and the decisions written
    with open(ROSTER, "rb") as f:
        rows, _, _ = oku._batch(period=YEAR).run(f.read(), "csv")  # the text run() reads its DataFrame from
    assert rows == out.read_text()


def test_a_spreadsheet_read_with_pandas_gives_what_its_csv_gives(oku, tmp_path):
    df = pd.DataFrame([{"id": "A1", **FARMER}, {"id": "A3", **FARMER, "employment": "asn"}])
    path = tmp_path / "roster.xlsx"
    df.to_excel(path, index=False)
    # The NIK read as text; the booleans and the income as the spreadsheet types them.
    from_xlsx, _ = entitle.run(oku, pd.read_excel(path, dtype={"nik": str}), period=YEAR)
    assert len(from_xlsx) == 2
    from_frame, _ = entitle.run(oku, df, period=YEAR)
    pd.testing.assert_frame_equal(from_xlsx, from_frame)


def test_rupiah_is_written_exactly():
    assert entitle.rupiah(decimal.Decimal("937440000")) == "Rp937.440.000"
    assert entitle.rupiah("16800.50") == "Rp16.800,50"
    assert entitle.rupiah(0) == "Rp0"


def test_a_spreadsheets_indonesian_header_and_columns_it_does_not_read(oku):
    # "penghasilan" gives the income; "skor", which no fact is, is left out, floats and all.
    df = pd.DataFrame([{"id": "A1", **{k: v for k, v in FARMER.items() if k != "monthly_income"},
                        "penghasilan": 2000000, "skor": 0.5}])
    decisions, summary = entitle.run(oku, df, period=YEAR, column_names={"monthly_income": "penghasilan"})
    assert list(decisions["status"]) == ["eligible"] and summary["total"] == decimal.Decimal("201600")


def test_a_rejected_row_is_placed_in_the_dataframe_past_a_line_break(oku):
    df = pd.DataFrame([{"id": "A1", **FARMER, "occupation": "petani"},
                       {"id": "A2", **FARMER, "occupation": "pe\ntani"},  # two lines in the CSV
                       {"id": "A3", **FARMER, "birth_date": "1980-13-01"}])
    decisions, _ = entitle.run(oku, df, period=YEAR)
    rejected = decisions.attrs["rejected"]
    assert list(rejected["row"]) == [1, 2] and list(rejected["id"]) == ["A2", "A3"]
    assert len(decisions) + len(rejected) == len(df)


def test_options_take_python_and_numpy_values_and_columns_come_back_typed(oku):
    import numpy as np

    df = pd.DataFrame([{"id": "A1", **FARMER}, {"id": "A2", **FARMER, "birth_date": pd.NaT}], dtype=object)
    decisions, summary = entitle.run(oku, df, period=YEAR, threads=np.int64(2), rules="rentan_oku_timur_2024",
                                     settings={"apbd_oku_timur_2024.quota": 1},
                                     columns=["monthly_income", "covered_months", "extreme_poor"])
    assert summary["quotas"][0]["funded"] == 1
    assert decisions.loc[0, "monthly_income"] == decimal.Decimal("2000000")
    assert decisions.loc[0, "covered_months"] == 12 and decisions.loc[0, "extreme_poor"] == False  # noqa: E712
    assert list(decisions["status"]) == ["eligible", "undetermined"]  # NaT: the birth date is missing
    with pytest.raises(entitle.Error) as failure:
        entitle.run(oku, df, period=YEAR, separator=";")
    assert failure.value.location == "/separator"


def test_a_claim_refunds_land_transport_of_rp3000000():
    national = entitle.load("id/bpjs-ketenagakerjaan", policies=POLICIES)
    person = {"declared_income": 1000000, "contribution_months": 3, "membership_active": True}
    result = national.claim(person, "work_accident", "2024-05-10", costs={"land": 3000000})
    lines = {line["benefit"]: line for line in result["lines"]}
    assert lines["jkk_transportasi"]["amount"] == decimal.Decimal("3000000")  # PP 82/2019: cap Rp5.000.000


def test_rupiah_refuses_what_it_cannot_write_exactly():
    with pytest.raises(ValueError):
        entitle.rupiah(decimal.Decimal("16800.505"))
    with pytest.raises(ValueError):
        entitle.rupiah("Rp2.000.000")
