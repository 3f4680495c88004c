"""Every ```python block of README.md, docs/python.md and docs/distributed.md runs as written,
from a directory holding policies/ and examples/data/ (as the source tree does), and each
statement ending in a comment
gives what the comment says: `expr  # 'eligible'` the repr of its value, `print(...)  # 4650 ...`
what it prints."""

import ast
import contextlib
import io
import os
import pathlib
import re

import pytest

SOURCE = pathlib.Path(os.environ["ENTITLE_SOURCE"])
PAGES = ["README.md", "docs/python.md", "docs/distributed.md"]


def blocks(page):
    return re.findall(r"```python\n(.*?)```", (SOURCE / page).read_text(), re.S)


@pytest.mark.parametrize("page", PAGES)
def test_each_block_runs_and_gives_what_its_comments_say(page, tmp_path, monkeypatch):
    (tmp_path / "examples").mkdir()
    (tmp_path / "policies").symlink_to(SOURCE / "policies")
    (tmp_path / "examples" / "data").symlink_to(SOURCE / "examples" / "data")
    monkeypatch.chdir(tmp_path)
    scope = {}  # the blocks of a page go on from one another, as a reader types them
    found = blocks(page)
    assert found, f"{page} has no python block"
    for index, code in enumerate(found):
        assert run_block(page, code, scope) > 0, f"{page} block {index} says nothing to check"


def run_block(page, code, scope):
    lines = code.splitlines()
    checked = 0
    for statement in ast.parse(code).body:
        comment = re.search(r"#\s*(.+)$", lines[statement.end_lineno - 1])
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            if isinstance(statement, ast.Expr):
                value = eval(compile(ast.Expression(statement.value), page, "eval"), scope)
            else:
                exec(compile(ast.Module([statement], []), page, "exec"), scope)
                value = None
        if comment and isinstance(statement, ast.Expr):
            got = printed.getvalue().strip() if value is None else repr(value)
            assert got == comment.group(1).strip(), f"{page}: {ast.get_source_segment(code, statement)}"
            checked += 1
    return checked
