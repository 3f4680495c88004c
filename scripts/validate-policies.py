#!/usr/bin/env python3
"""Validates policy files against docs/policy.schema.json (JSON Schema 2020-12), as an editor would.

Usage: scripts/validate-policies.py [FILE...]   (default: every policies/**/*.json)
Needs Debian's python3-jsonschema. Exits 1 if any file is invalid, naming the file and the place.
"""
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root / "docs" / "policy.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

files = [pathlib.Path(f) for f in sys.argv[1:]] or sorted((root / "policies").rglob("*.json"))
if not files:
    sys.exit("validate-policies: no policy files found")
failed = 0
for path in files:
    errors = sorted(validator.iter_errors(json.loads(path.read_text())), key=lambda e: list(e.path))
    for error in errors:
        pointer = "/" + "/".join(str(p) for p in error.path)
        print(f"{path}: {pointer}: {error.message}", file=sys.stderr)
    failed += bool(errors)
    print(f"{path}: {'invalid' if errors else 'valid'}")
sys.exit(1 if failed else 0)
