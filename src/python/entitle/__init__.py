"""entitle from Python: who qualifies for a social-protection program, and who pays for it.

    import entitle
    policy = entitle.load("oku-timur/pekerja-rentan-2024-iuran", policies="policies")
    policy.decide({"nik": "1608010101800001", ...}, period="2024-01..2024-12")["status"]
    decisions, summary = entitle.run(policy, roster_df, period="2024-01..2024-12")

Money is never a float: amounts come back as decimal.Decimal rupiah, and are given as int, str
("Rp2.000.000", "16800.50") or Decimal. A failure raises entitle.Error with its code and place
(a JSON pointer such as "/birth_date", or a roster line). The guide is docs/python.md.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import math
import os
from typing import Any, Iterable, Mapping

from . import _entitle

__version__ = _entitle.__version__
__all__ = ["Error", "Policy", "load", "run", "rupiah"]


class Error(ValueError):
    """A failure of entitle: `message`, `code` ("invalid_date", ...) and `location`."""

    def __init__(self, message: str, code: str, location: str):
        super().__init__(f"{location}: {message}" if location else message)
        self.message, self.code, self.location = message, code, location


def rupiah(amount: decimal.Decimal | int | str) -> str:
    """An amount as Indonesians write it, exactly: Rp937.440.000, Rp16.800,50."""
    value = decimal.Decimal(str(amount))
    sign, whole, sen = ("-" if value < 0 else ""), *f"{abs(value):.2f}".split(".")
    grouped = ".".join(whole[max(0, i - 3):i] for i in range(len(whole), 0, -3)[::-1])
    return f"{sign}Rp{grouped}" + ("" if sen == "00" else f",{sen}")


def _raising(call, *args):
    try:
        return call(*args)
    except _entitle.Error as e:
        raise Error(*e.args) from None


# Keys whose values are amounts, and keys whose values map names to amounts, in entitle's JSON.
_AMOUNTS = {"total", "amount", "due", "paid", "spent", "budget", "quoted"}
_AMOUNT_MAPS = {"due", "paid", "due_by_program", "paid_by_payer", "quoted_by_program", "payable"}


def _no_float(text: str):
    raise Error(f"a number with a fraction ({text}) where entitle writes none", "invalid_syntax", "")


def _with_amounts(value: Any, key: str | None = None) -> Any:
    """entitle's JSON with each amount (an int, or a string with sen) as a Decimal."""
    if isinstance(value, dict):
        if key in _AMOUNT_MAPS and all(not isinstance(v, (dict, list)) for v in value.values()):
            return {k: decimal.Decimal(str(v)) for k, v in value.items()}
        return {k: _with_amounts(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_amounts(v, key) for v in value]
    if key in _AMOUNTS and isinstance(value, (int, str)) and not isinstance(value, bool):
        return decimal.Decimal(str(value))
    return value


def _decoded(text: str) -> Any:
    return _with_amounts(json.loads(text, parse_float=_no_float))


def _value(value: Any, where: str) -> Any:
    """A Python value as entitle reads it from JSON; a float only when it is a whole number."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()  # a DataFrame's numpy.bool_, int64, float64 as Python's own
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        raise Error("a datetime is not a date: give a date or \"YYYY-MM-DD\"", "invalid_syntax", where)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
        raise Error(f"{value!r} is a float, which is not exact: give an int, a str or a Decimal", "invalid_syntax",
                    where)
    if isinstance(value, Mapping):
        return {str(k): _value(v, f"{where}/{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_value(v, f"{where}/{i}") for i, v in enumerate(value)]
    raise Error(f"cannot give a {type(value).__name__} as a fact", "invalid_syntax", where)


def _json(value: Any) -> str:
    return json.dumps(_value(value, ""))


def _when(as_of, period) -> dict:
    options = {}
    if as_of is not None:
        options["as_of"] = as_of.isoformat() if isinstance(as_of, datetime.date) else str(as_of)
    if period is not None:
        options["period"] = str(period)
    return options


class Policy:
    """A compiled policy, merged with what it extends; safe to share between threads."""

    def __init__(self, compiled: _entitle.Policy):
        self._compiled = compiled

    @property
    def id(self) -> str:
        return self._compiled.id

    def source(self) -> dict:
        """The policy as merged, in the policy file format."""
        return _decoded(self._compiled.json())

    def _batch(self, as_of=None, period=None, **options) -> _entitle.Batch:
        merged = {**_when(as_of, period), **{k: v for k, v in options.items() if v is not None}}
        return _raising(self._compiled.batch, json.dumps(merged))

    def explain(self, person: Mapping, as_of=None, period=None, rules: Iterable[str] | None = None) -> dict:
        """The decision with its trace and the contributions over the period (entitle-explanation/1)."""
        batch = self._batch(as_of, period, rules=list(rules) if rules else None)
        return _decoded(_raising(batch.explain, _json(person)))

    def decide(self, person: Mapping, as_of=None, period=None, rules: Iterable[str] | None = None) -> dict:
        """{"rule", "as_of", "status", "verdict", "reasons", "missing"} for one person."""
        explained = self.explain(person, as_of, period, rules)
        return {k: explained[k] for k in ("rule", "as_of", "status", "verdict", "reasons", "missing")}

    def contributions(self, person: Mapping, period=None, as_of=None) -> dict:
        """What is due for the person month by month, and who pays it (entitle-statement/1)."""
        return _decoded(_raising(self._batch(as_of, period).contributions, _json(person)))

    def claim(self, person: Mapping, event: str, on, **details) -> dict:
        """A claim's benefits (entitle-claim/1): details are enrolment, months, children, costs."""
        claim = {"event": event, "on": on, **details}
        return _decoded(_raising(self._compiled.claim, _json(person), _json(claim)))


def load(path_or_id: str | os.PathLike, policies: str | os.PathLike | Iterable = (), settings: Mapping | None = None) -> Policy:
    """A policy file (with the directory it stands in), or an id found under `policies`.

    `settings` set subsidy fields and parameters as `entitle run --set` does:
    {"apbd_oku_timur_2024.quota": 1000, "income_limit": "Rp2.500.000"}.
    """
    library = _entitle.Library()
    directories = [policies] if isinstance(policies, (str, os.PathLike)) else list(policies)
    for directory in directories:
        _raising(library.add_directory, os.fspath(directory))
    spec = os.fspath(path_or_id)
    policy_id = _raising(library.add_file, spec) if spec.endswith(".json") else spec
    given = {k: str(_value(v, f"/{k}")) for k, v in (settings or {}).items()}
    return Policy(_raising(library.compile, policy_id, json.dumps(given) if given else ""))


def _csv_field(value: Any, where: str) -> str:
    value = _value(value, where)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _roster_csv(df, id_column: str) -> str:
    import pandas as pd

    if id_column not in df.columns:
        raise Error(f"the DataFrame has no column {id_column!r} naming each person", "invalid_syntax", "")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([str(c) for c in df.columns])
    columns = list(df.columns)
    for line, row in enumerate(df.itertuples(index=False, name=None), start=2):
        fields = []
        for column, value in zip(columns, row):
            if value is pd.NaT or (value is not None and not isinstance(value, (str, bytes)) and pd.isna(value)):
                value = None
            elif isinstance(value, pd.Timestamp):
                if value != value.normalize():
                    raise Error(f"{value} is not a whole day", "invalid_syntax", f"line {line}, column {column}")
                value = value.date()
            fields.append(_csv_field(value, f"line {line}, column {column}"))
        writer.writerow(fields)
    return out.getvalue()


def _decisions_frame(text: str):
    import pandas as pd

    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for column in frame.columns:
        if column in ("total", "quoted") or column.startswith(("due_", "paid_")):
            frame[column] = [decimal.Decimal(v) for v in frame[column]]
        elif column == "eligible_months" or column.startswith(("rank_", "months_")):
            frame[column] = pd.array([int(v) if v else None for v in frame[column]], dtype="Int64")
        elif column == "complete":
            frame[column] = frame[column] == "true"
    return frame


def _roster_file(path: str | os.PathLike) -> tuple[bytes, str]:
    name = os.fspath(path)
    lower = name.lower()
    if lower.endswith(".csv"):
        kind = "csv"
    elif lower.endswith((".ndjson", ".jsonl")):
        kind = "ndjson"
    else:
        raise Error(f"{name}: a roster file is .csv or .ndjson (read a spreadsheet with pandas.read_excel and "
                    "give the DataFrame)", "invalid_syntax", "")
    try:
        with open(name, "rb") as f:
            return f.read(), kind
    except OSError as e:
        raise Error(f"cannot read the roster {name}: {e.strerror}", "invalid_syntax", "") from None


def run(policy: Policy, roster, as_of=None, period=None, id_column: str = "id", **options):
    """Decides every person of `roster`: a pandas DataFrame (a column per fact, and `id_column`),
    or the path of a CSV or NDJSON file, read as `entitle run` reads it (the same rows rejected).

    Returns (decisions, summary): a DataFrame with a row per person, sorted by id (status, rule,
    reasons, missing, due_<program> and paid_<payer> as Decimal rupiah, each capped subsidy's
    quota_<id> and rank_<id>, then the `columns` asked for), with the rejected rows (line, id,
    column, reason, text; and for a DataFrame, row: the position in it) in
    `decisions.attrs["rejected"]`; and the summary (entitle-summary/1) as a dict. Options are
    those of `entitle run` (docs/python.md): rules, columns, threads, strict, settings,
    column_names, allow_missing_columns, separator.
    """
    import pandas as pd

    batch = policy._batch(as_of, period, id_column=id_column, **options)
    from_frame = isinstance(roster, pd.DataFrame)
    text, kind = (_roster_csv(roster, id_column), "csv") if from_frame else _roster_file(roster)
    rows, rejects, summary = _raising(batch.run, text, kind)
    decisions = _decisions_frame(rows)
    rejected = pd.read_csv(io.StringIO(rejects), dtype=str, keep_default_na=False)
    if from_frame:  # the CSV made from the DataFrame has its header on line 1: line n is row n - 2
        rejected.insert(0, "row", pd.array([int(line) - 2 for line in rejected["line"]], dtype="Int64"))
    decisions.attrs["rejected"] = rejected
    return decisions, _decoded(summary)
