"""Checks documents against the published schemas in shared/validators, with its validate.py, and prints them back.

Usage: python3 published-schemas.py VALIDATORS_DIR KIND FILE...
  KIND: k8s (networking.k8s.io/v1 NetworkPolicy), crd (Cilium and Calico, picked by apiVersion and kind) or
  gcp (Compute v1 Firewall). A .json file holds one document or a list of them; any other file is a YAML stream.
Prints a JSON list, one entry per document: {"file", "errors", "document"}. The documents are PyYAML's reading of
the files, so a test can compare what a real YAML parser sees with what it expected. Exits 1 if a file cannot be read.
"""
import json
import sys

import yaml

validators, kind, files = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.path.insert(0, validators)
import validate  # noqa: E402  (the published harness, unchanged)

check = {"k8s": validate.validate_k8s, "crd": validate.validate_crd, "gcp": validate.validate_gcp}[kind]
results = []
for path in files:
    with open(path, encoding="utf-8") as stream:
        text = stream.read()
    if path.endswith(".json"):
        loaded = json.loads(text)
        documents = loaded if isinstance(loaded, list) else [loaded]
    else:
        documents = [d for d in yaml.safe_load_all(text) if d is not None]
    for document in documents:
        results.append({"file": path, "errors": check(document), "document": document})
json.dump(results, sys.stdout)
