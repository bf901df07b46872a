#!/usr/bin/env python3
"""The baseline for `lubehub bench ingest`: the core's vehicle-position job written the way a team
would write it in Python — confluent-kafka and sqlite3, batched transactions, committed offsets.

For every canonical vehicle.position event on the topic: keep the latest fix per vehicle (an older
fix never replaces a newer one) and the position history, in one SQLite transaction per batch, then
commit the consumer offsets. Stops after --messages events and prints one JSON line:
{"messages": N, "seconds": S, "rate": N/S}, timed from the first message.
"""
import argparse
import json
import sqlite3
import time
import uuid
from datetime import datetime

from confluent_kafka import Consumer


def millis(text):
    return int(datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").timestamp() * 1000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--messages", type=int, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()

    db = sqlite3.connect(args.database)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-65536")
    db.execute("CREATE TABLE IF NOT EXISTS latest (vehicle_id TEXT PRIMARY KEY, fix_at_ms INTEGER, lat REAL, lon REAL, speed REAL, heading INTEGER, event_id TEXT)")
    # The same table layout as the core's (history keyed by time first), so the comparison measures
    # the implementation, not the schema.
    db.execute("CREATE TABLE IF NOT EXISTS history (fix_at_ms INTEGER, vehicle_id TEXT, lat REAL, lon REAL, speed REAL, heading INTEGER, PRIMARY KEY (fix_at_ms, vehicle_id)) WITHOUT ROWID")
    db.commit()

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "baseline-" + uuid.uuid4().hex,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "session.timeout.ms": 6000,
        "queued.min.messages": 1000000,
    })
    consumer.subscribe([args.topic])
    done = 0
    started = None
    while done < args.messages:
        messages = consumer.consume(num_messages=args.batch, timeout=1.0)
        if not messages:
            continue
        if started is None:
            started = time.perf_counter()
        rows = []
        for message in messages:
            if message.error():
                continue
            event = json.loads(message.value())
            data = event["data"]
            rows.append((data["vehicleId"], millis(data["fixAt"]), data["lat"], data["lon"], data["speedKmh"], data["heading"], event["id"]))
        with db:
            db.executemany("INSERT OR IGNORE INTO history VALUES (?, ?, ?, ?, ?, ?)", [(row[1], row[0]) + row[2:6] for row in rows])
            db.executemany(
                "INSERT INTO latest VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (vehicle_id) DO UPDATE SET "
                "fix_at_ms = excluded.fix_at_ms, lat = excluded.lat, lon = excluded.lon, speed = excluded.speed, "
                "heading = excluded.heading, event_id = excluded.event_id WHERE excluded.fix_at_ms > latest.fix_at_ms",
                rows)
        consumer.commit(asynchronous=False)
        done += len(messages)
    seconds = time.perf_counter() - started
    consumer.close()
    print(json.dumps({"messages": done, "seconds": seconds, "rate": done / seconds}))


if __name__ == "__main__":
    main()
