"""Checks documents against the published schemas in data/validators, with its validate.py, and prints them back.

Usage: python3 published-schemas.py VALIDATORS_DIR
  Reads requests from stdin, one a line: KIND, a tab, FILE. KIND: k8s (networking.k8s.io/v1 NetworkPolicy), crd
  (Cilium and Calico, picked by apiVersion and kind) or gcp (Compute v1 Firewall). A .json file holds one document or
  a list of them; any other file is a YAML stream. One process serves a whole test run, so the schemas are read once.
Answers each request with one line, a JSON list, one entry per document: {"file", "errors", "document"}; or
{"error": "..."} when the file cannot be read. The documents are PyYAML's reading of the files, so a test can compare
what a real YAML parser sees with what it expected.
"""
import json
import sys

import yaml

sys.path.insert(0, sys.argv[1])
import validate  # noqa: E402  (the published harness, unchanged; it caches each schema it loads)

CHECKS = {"k8s": validate.validate_k8s, "crd": validate.validate_crd, "gcp": validate.validate_gcp}


def check(kind, path):
    with open(path, encoding="utf-8") as stream:
        text = stream.read()
    if path.endswith(".json"):
        loaded = json.loads(text)
        documents = loaded if isinstance(loaded, list) else [loaded]
    else:
        documents = [d for d in yaml.safe_load_all(text) if d is not None]
    return [{"file": path, "errors": CHECKS[kind](document), "document": document} for document in documents]


for line in sys.stdin:
    kind, path = line.rstrip("\n").split("\t")
    try:
        answer = check(kind, path)
    except (OSError, ValueError, yaml.YAMLError, KeyError) as error:
        answer = {"error": f"{kind} {path}: {error!r}"}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
