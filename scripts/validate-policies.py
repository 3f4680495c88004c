#!/usr/bin/env python3
"""Validates policy files against docs/policy.schema.json (JSON Schema 2020-12), as an editor would,
and scenario files (*.test.json) against docs/scenario.schema.json.

Usage: scripts/validate-policies.py [FILE...]   (default: every policies/**/*.json)
A Markdown file (.md) stands for the policies it shows as examples: each fenced block after a line
`<!-- example: NAME -->`, checked as NAME. Needs Debian's python3-jsonschema. Exits 1 if any file
is invalid, naming the file and the place.
"""
import json
import pathlib
import re
import sys

import jsonschema

root = pathlib.Path(__file__).resolve().parent.parent


def validator_of(name):
    schema = json.loads((root / "docs" / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


policy_validator = validator_of("policy.schema.json")
scenario_validator = validator_of("scenario.schema.json")

files = [pathlib.Path(f) for f in sys.argv[1:]] or sorted((root / "policies").rglob("*.json"))
if not files:
    sys.exit("validate-policies: no policy files found")
EXAMPLE = re.compile(r"<!-- example: ([A-Za-z0-9_-]+) -->\n```json\n(.*?)\n```", re.S)


def documents(path):
    """(name, text) of each policy in `path`: the file itself, or a Markdown file's examples."""
    text = path.read_text()
    if path.suffix != ".md":
        return [(str(path), text)]
    examples = [(f"{path} example {m.group(1)}", m.group(2)) for m in EXAMPLE.finditer(text)]
    if not examples:
        sys.exit(f"validate-policies: {path} shows no marked examples")
    return examples


failed = 0
for path in files:
    for name, text in documents(path):
        validator = scenario_validator if path.name.endswith(".test.json") else policy_validator
        errors = sorted(validator.iter_errors(json.loads(text)), key=lambda e: list(e.path))
        for error in errors:
            pointer = "/" + "/".join(str(p) for p in error.path)
            print(f"{name}: {pointer}: {error.message}", file=sys.stderr)
        failed += bool(errors)
        print(f"{name}: {'invalid' if errors else 'valid'}")
sys.exit(1 if failed else 0)
