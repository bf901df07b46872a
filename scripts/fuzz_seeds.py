#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus from the topic catalogue's examples (Fuzz/corpus/<harness>/).

A harness whose first byte picks a topic gets each example prefixed with that topic's index, in
the order the harness sorts its topics (FuzzInput.topics / the mapping's input topics, sorted).
Run again after the catalogue's examples change; the corpus is committed.
"""
import hashlib
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
topics = {}
for path in sorted((root / "topics").glob("*.json")):
    entry = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(entry, dict) and "name" in entry:
        topics[entry["name"]] = entry


def example_bytes(example):
    if "value" in example:
        return json.dumps(example["value"], ensure_ascii=False, separators=(",", ":")).encode()
    if "valueText" in example:
        return example["valueText"].encode()
    return bytes.fromhex(example["valueHex"])


def examples(name):
    return [example_bytes(e) for e in topics[name].get("examples", [])]


def by_format(fmt, prefix=""):
    return sorted(n for n, t in topics.items() if t.get("format") == fmt and n.startswith(prefix))


def picked(names):
    return [bytes([index]) + value for index, name in enumerate(names) for value in examples(name)]


seeds = {
    "fuzz-jt808": examples("carrier.in.jt808"),
    "fuzz-idoc": picked(by_format("idoc-xml", "erp.in.")),
    "fuzz-csv": examples("abs.in.service-batches"),
    "fuzz-json-schema": picked(by_format("json")),
    "fuzz-carrier-json": examples("carrier.in.shipment-events"),
    "fuzz-abs": picked(sorted(["abs.in.service-batches", "abs.in.service-records"])),
    "fuzz-dealer-json": picked(sorted(n for n in topics if n.startswith("dealer.in."))),
}
for harness, values in seeds.items():
    directory = root / "Fuzz" / "corpus" / harness
    directory.mkdir(parents=True, exist_ok=True)
    for value in values:
        (directory / ("seed-" + hashlib.sha1(value).hexdigest()[:16])).write_bytes(value)
    print(f"{harness}: {len(values)} seeds", file=sys.stderr)
