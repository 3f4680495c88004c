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
from typing import Any, Callable, Iterable, Mapping

from . import _entitle

__version__ = _entitle.__version__
__all__ = ["Error", "Policy", "load", "run", "rupiah"]


class Error(ValueError):
    """A failure of entitle: `message`, `code` ("invalid_date", ...) and `location`."""

    def __init__(self, message: str, code: str, location: str):
        super().__init__(f"{location}: {message}" if location else message)
        self.message, self.code, self.location = message, code, location

    def __reduce__(self):  # raised on a Dask worker, raised again where the run was started
        return (Error, (self.message, self.code, self.location))


def rupiah(amount: decimal.Decimal | int | str) -> str:
    """An amount as Indonesians write it, exactly: Rp937.440.000, Rp16.800,50. An amount finer
    than a sen (16800.505), or text that is not a number, is a ValueError, never rounded."""
    try:
        value = decimal.Decimal(str(amount))
    except decimal.InvalidOperation:
        raise ValueError(f"{amount!r} is not an amount (give 937440000 or \"16800.50\")") from None
    if not value.is_finite() or value != value.quantize(decimal.Decimal("0.01")):
        raise ValueError(f"{amount!r} is not a whole number of sen")
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
    if type(value).__name__ in ("NAType", "NaTType"):
        return None  # pandas' missing values
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


def _setting_text(name: str, value: Any) -> str:
    """A setting's value as `entitle run --set` takes it: text."""
    value = _value(value, f"/{name}")
    if value is None:
        raise Error("a setting needs a value", "invalid_syntax", f"/{name}")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _options(options: Mapping) -> dict:
    """The options of `entitle run` as the batch reads them: plain values, the settings as text."""
    out = {}
    for key, value in options.items():
        if value is None:
            continue
        if key == "settings":
            value = {str(k): _setting_text(str(k), v) for k, v in value.items()}
        elif key in ("rules", "columns") and isinstance(value, str):
            value = [value]
        else:
            value = _value(list(value) if isinstance(value, (set, frozenset)) else value, f"/{key}")
        out[key] = value
    return out


def _when(as_of, period) -> dict:
    options = {}
    if as_of is not None:
        options["as_of"] = as_of.isoformat() if isinstance(as_of, datetime.date) else str(as_of)
    if period is not None:
        options["period"] = str(period)
    return options


class Policy:
    """A compiled policy, merged with what it extends; safe to share between threads."""

    def __init__(self, compiled: _entitle.Policy, origin: tuple | None = None):
        self._compiled = compiled
        # (the library, the policy's id, the settings as JSON): what `_portable` rebuilds it from.
        self._origin = origin
        # Each fact's and derived value's type, and the other column names a roster may use.
        self._types = {name: kind for name, kind, _ in compiled.values()}
        self._columns = {name: set(columns) for name, _, columns in compiled.values()}

    @property
    def id(self) -> str:
        return self._compiled.id

    def source(self) -> dict:
        """The policy as merged, in the policy file format, as its JSON reads (amounts as in the file)."""
        return json.loads(self._compiled.json(), parse_float=_no_float)

    def _portable(self) -> tuple[str, str]:
        """The policy as another process compiles it again (`_compiled_again`): its merged source
        before its settings, and the settings as JSON."""
        library, policy_id, settings = self._origin
        return _raising(library.compile, policy_id, "").json(), settings

    @staticmethod
    def _batch_options(as_of=None, period=None, **options) -> str:
        return json.dumps({**_when(as_of, period), **_options(options)})

    def _batch(self, as_of=None, period=None, **options) -> _entitle.Batch:
        return _raising(self._compiled.batch, self._batch_options(as_of, period, **options))

    def explain(self, person: Mapping, as_of=None, period=None, rules: Iterable[str] | None = None) -> dict:
        """The decision with its trace and the contributions over the period (entitle-explanation/1)."""
        batch = self._batch(as_of, period, rules=rules)
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


def load(path_or_id: str | os.PathLike, policies: str | os.PathLike | Iterable = (),
         settings: Mapping | None = None) -> Policy:
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
    given = {str(k): _setting_text(str(k), v) for k, v in (settings or {}).items()}
    settings_json = json.dumps(given) if given else ""
    return Policy(_raising(library.compile, policy_id, settings_json), (library, policy_id, settings_json))


def _compiled_again(portable: tuple[str, str]) -> Policy:
    """The policy `Policy._portable` describes, compiled in this process."""
    source, settings = portable
    library = _entitle.Library()
    policy_id = _raising(library.add_json, source, "the policy sent to this process")
    return Policy(_raising(library.compile, policy_id, settings), (library, policy_id, settings))


def _csv_field(value: Any, where: str) -> str:
    value = _value(value, where)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _roster_csv(df, policy: Policy, id_column: str, column_names: Mapping) -> tuple[str, Callable, int]:
    """`df` as a CSV roster of the columns entitle reads (the id, the facts, by any of their names);
    the others are left out. Also the row starting on a line (a function of it: a value may hold a
    line break), and the lines after the header."""
    names = {str(c) for c in df.columns}
    if id_column not in names:
        raise Error(f"the DataFrame has no column {id_column!r} naming each person", "invalid_syntax", "")
    read = {id_column, *policy._types, *column_names.values()}
    for other in policy._columns.values():
        read |= other
    keep = [i for i, c in enumerate(df.columns) if str(c) in read]
    header = [str(df.columns[i]) for i in keep]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    first = 2 + sum(name.count("\n") for name in header)  # the first row's line
    if _all_text(df, keep):  # as read with dtype=str: written as they are
        writer.writerows(df.iloc[:, keep].itertuples(index=False, name=None))
        text = out.getvalue()
        lines = text.count("\n") - (first - 1)
        if lines == len(df):  # no value holds a line break: row p is on line first + p
            return text, lambda line: line - first if first <= line < first + lines else None, lines
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
    rows_by_line, line = {}, first
    for position, row in enumerate(df.itertuples(index=False, name=None)):
        fields = [_csv_cell(row[i], position, column) for column, i in zip(header, keep)]
        writer.writerow(fields)
        rows_by_line[line] = position
        line += 1 + sum(field.count("\n") for field in fields)
    return out.getvalue(), rows_by_line.get, line - first


def _all_text(df, keep: list[int]) -> bool:
    """Whether every value of the columns `keep` is a str (none missing)."""
    import pandas as pd

    return all(pd.api.types.infer_dtype(df.iloc[:, i], skipna=False) == "string" for i in keep)


def _csv_cell(value: Any, position: int, column: str) -> str:
    """A DataFrame's value as a roster's CSV field: a Timestamp only when it is a whole day."""
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        if value != value.normalize():
            raise Error(f"{value} is not a whole day", "invalid_syntax", f"row {position}, column {column}")
        value = value.date()
    return _csv_field(value, f"row {position}, column {column}")


def _own_kind(column: str) -> str | None:
    """The kind of a column of the decisions' own (not one asked for): money, a count or a bool."""
    if column in ("total", "quoted") or column.startswith(("due_", "paid_")):
        return "money"
    if column == "eligible_months" or column.startswith(("rank_", "months_")):
        return "integer"
    return "bool" if column == "complete" else None


def _decisions_frame(text: str, policy: Policy, asked: Iterable[str]):
    """The decisions CSV as a DataFrame: amounts as Decimal, counts as Int64, the columns asked for
    by their type (a money fact as Decimal, an integer as Int64, a bool as boolean), missing as NA."""
    import pandas as pd

    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    own = len(frame.columns) - len(list(asked))
    types = {"covered_months": "integer", **policy._types}
    for index, column in enumerate(frame.columns):
        kind = _own_kind(column) if index < own else types.get(column)
        values = frame[column]
        if kind == "money":
            frame[column] = [decimal.Decimal(v) if v else pd.NA for v in values]
        elif kind == "integer":
            frame[column] = pd.array([int(v) if v else None for v in values], dtype="Int64")
        elif kind == "bool":
            frame[column] = pd.array([None if v == "" else v == "true" for v in values], dtype="boolean")
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

    Returns (decisions, summary): a DataFrame with a row per person, as `entitle run` writes them (status, rule,
    reasons, missing, due_<program> and paid_<payer> as Decimal rupiah, each capped subsidy's
    quota_<id> and rank_<id>, then the `columns` asked for, by their type), with the rejected rows (line, id,
    column, reason, text; and for a DataFrame, row: the position in it) in
    `decisions.attrs["rejected"]`; and the summary (entitle-summary/1) as a dict. Options are
    those of `entitle run` (docs/python.md): rules, columns, threads, strict, settings,
    column_names, allow_missing_columns, separator.
    """
    import pandas as pd

    from_frame = isinstance(roster, pd.DataFrame)
    if from_frame and options.get("separator") not in (None, ","):
        raise Error("a separator is for roster files; a DataFrame is written with commas", "invalid_syntax",
                    "/separator")
    batch = policy._batch(as_of, period, id_column=id_column, **options)
    if from_frame:
        text, row_at, _ = _roster_csv(roster, policy, id_column, options.get("column_names") or {})
        kind = "csv"
    else:
        (text, kind), row_at = _roster_file(roster), None
    rows, rejects, summary = _raising(batch.run, text, kind)
    asked = options.get("columns") or []
    decisions = _decisions_frame(rows, policy, [asked] if isinstance(asked, str) else list(asked))
    rejected = pd.read_csv(io.StringIO(rejects), dtype=str, keep_default_na=False)
    if row_at is not None:  # where each rejected row is in the DataFrame
        rejected.insert(0, "row", pd.array([row_at(int(line)) for line in rejected["line"]], dtype="Int64"))
    decisions.attrs["rejected"] = rejected
    return decisions, _decoded(summary)
