#!/usr/bin/env python3
"""The chaos run's independent checker: reads the hub's topics (confluent-kafka, read_committed) and
its PostgreSQL database (psql) after a run, and checks the delivery rules without any of the hub's
own code:

  1. every order the API acknowledged exists, decided, with a status consistent with the answer;
  2. every raw input has its canonical output (ids <topic>:<partition>:<offset>:<n>) or a dead letter
     naming it, and an event id that appears more than once always carries the same event;
  3. the core applied every event on the topics it reads exactly once (applied_events, or held, or
     dead-lettered by the core);
  4. each stock row's on-hand equals the sum of its movements, and reserved the sum of its reservations;
  5. no reservation outlives its order (only accepted…allocated orders hold stock);
  6. every vehicle's latest position is its newest fix (history and hub.vehicles.positions);
  7. hub.orders.updates ends, for each order, in the status and version the database holds.

Prints a report and exits 1 when there is any violation.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from decimal import Decimal

from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING

HOLDING = {"accepted", "confirmed", "scheduled", "produced", "allocated"}


def catalogue(directory):
    topics = {}
    for name in os.listdir(directory):
        if name.endswith(".json") and name != "common.json":
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                d = json.load(f)
            if "flow" in d:
                topics[d["name"]] = d
    return topics


def read_topics(bootstrap, topics, idle_seconds=5.0):
    """Every committed message of the topics, per topic in partition/offset order. Reads until nothing
    has come for idle_seconds: a broker's end offsets are not trusted to say where a topic ends."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "chaos-check-%d" % time.time_ns(),
                         "enable.auto.commit": False, "isolation.level": "read_committed", "log_level": 0})
    assignment = []
    metadata = consumer.list_topics(timeout=10)
    for topic in topics:
        if topic in metadata.topics:
            assignment += [TopicPartition(topic, p, OFFSET_BEGINNING) for p in metadata.topics[topic].partitions]
    consumer.assign(assignment)
    out = defaultdict(list)
    last = time.monotonic()
    while time.monotonic() - last < idle_seconds:
        batch = consumer.consume(5000, timeout=0.5)
        for m in batch:
            if m.error():
                continue
            out[m.topic()].append((m.partition(), m.offset(), m.key(), m.value(), dict((k, v) for k, v in (m.headers() or []))))
            last = time.monotonic()
    consumer.close()
    for messages in out.values():
        messages.sort(key=lambda m: (m[0], m[1]))
    return out


def sql(url, query):
    rows = subprocess.run(["psql", url, "-At", "-F", "\t", "-c", query], check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in rows.splitlines() if line]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--database", required=True, help="postgresql:// URL of the core's database")
    parser.add_argument("--orders-log", required=True, help="the simulator's log of the API's answers")
    parser.add_argument("--topics", default=os.path.join(os.path.dirname(__file__), "..", "topics"))
    parser.add_argument("--kills", default="{}", help="JSON: what the run killed, to print with the report")
    args = parser.parse_args()

    cat = catalogue(args.topics)
    raw_topics = [n for n, d in cat.items() if d["flow"] == "raw-inbound"]
    canonical_topics = [n for n, d in cat.items() if d["flow"] == "canonical"]
    dead_letter_topics = [n for n, d in cat.items() if d["flow"] == "dead-letter"]
    topics = read_topics(args.bootstrap, raw_topics + canonical_topics + dead_letter_topics + ["hub.orders.updates"])
    violations = defaultdict(list)
    counts = {}

    # Dead letters by the input they name.
    dead = set()
    core_dead = set()
    for topic in dead_letter_topics:
        for (_, _, _, value, headers) in topics.get(topic, []):
            source = (headers.get("source.topic", b"").decode(), headers.get("source.partition", b"").decode(), headers.get("source.offset", b"").decode())
            dead.add(source)
            if topic == "hub.core.dlq":
                core_dead.add(source)
    counts["dead letters"] = sum(len(topics.get(t, [])) for t in dead_letter_topics)

    # 2. Raw input -> canonical output, ids stable.
    events_by_id = {}
    produced_from = set()
    canonical_count = 0
    replayed = 0
    for topic in canonical_topics:
        for (partition, offset, key, value, headers) in topics.get(topic, []):
            if value is None:
                continue
            canonical_count += 1
            try:
                event = json.loads(value)
            except ValueError:
                violations["2 canonical event that is not JSON"].append("%s:%d:%d" % (topic, partition, offset))
                continue
            event_id = event.get("id", "")
            # What the event says: an HTTP retry of the same command is the same event sent again at
            # another moment (its occurredAt), which the core applies once under the one id.
            body = json.dumps({k: event.get(k) for k in ("type", "subject", "data")}, sort_keys=True)
            if event_id in events_by_id:
                earlier_topic, earlier_body = events_by_id[event_id]
                if earlier_body != body:
                    violations["2 one event id, two different events"].append("%s (%s and %s)" % (event_id, earlier_topic, topic))
                else:
                    replayed += 1
            else:
                events_by_id[event_id] = (topic, body)
            parts = event_id.rsplit(":", 3)
            if len(parts) == 4:
                produced_from.add((parts[0], parts[1], parts[2]))
    raw_count = 0
    for topic in raw_topics:
        for (partition, offset, key, value, headers) in topics.get(topic, []):
            raw_count += 1
            source = (topic, str(partition), str(offset))
            if source not in produced_from and source not in dead:
                violations["2 raw input without canonical output or dead letter"].append("%s:%d:%d" % source_tuple(source))
    counts["raw inputs"] = raw_count
    counts["canonical events"] = canonical_count
    counts["canonical events sent again under the same id (same event)"] = replayed

    # 3. The core applied each event of its topics exactly once.
    applied = {row[0] for row in sql(args.database, "SELECT event_id FROM applied_events")}
    applied_total = int(sql(args.database, "SELECT COUNT(*) FROM applied_events")[0][0])
    held = {row[0] for row in sql(args.database, "SELECT event_id FROM held_events")}
    counts["events the core applied"] = applied_total
    counts["events the core holds"] = len(held)
    core_topics = ["hub.dealers", "hub.permission-groups", "hub.materials", "hub.price-lists", "hub.warehouses", "hub.inventory.snapshots",
                   "hub.inventory.movements", "hub.orders.commands", "hub.orders.events", "hub.shipments", "hub.vehicles", "hub.tier2-orders",
                   "hub.delivery-notes", "hub.sell-through", "hub.contracts", "hub.funds"]
    for topic in core_topics:
        for (partition, offset, key, value, headers) in topics.get(topic, []):
            if value is None:
                continue
            event_id = json.loads(value).get("id", "")
            if event_id not in applied and event_id not in held and (topic, str(partition), str(offset)) not in core_dead:
                violations["3 event the core never applied"].append("%s on %s:%d:%d" % (event_id, topic, partition, offset))

    # 4. Inventory: on hand = sum of movements; reserved = sum of reservations.
    movements = defaultdict(Decimal)
    for w, l, m, q in sql(args.database, "SELECT warehouse_id, location_id, material_id, quantity FROM inventory_movements"):
        movements[(w, l, m)] += Decimal(q)
    reservations = defaultdict(Decimal)
    for w, l, m, q in sql(args.database, "SELECT warehouse_id, location_id, material_id, quantity FROM order_reservations"):
        reservations[(w, l, m)] += Decimal(q)
    stock_rows = sql(args.database, "SELECT warehouse_id, location_id, material_id, on_hand, reserved FROM stock")
    for w, l, m, on_hand, reserved in stock_rows:
        if Decimal(on_hand) != movements.get((w, l, m), Decimal(0)):
            violations["4 on hand is not the sum of movements"].append("%s/%s/%s: %s vs %s" % (w, l, m, on_hand, movements.get((w, l, m), 0)))
        if Decimal(reserved) != reservations.get((w, l, m), Decimal(0)):
            violations["4 reserved is not the sum of reservations"].append("%s/%s/%s: %s vs %s" % (w, l, m, reserved, reservations.get((w, l, m), 0)))
    counts["stock rows"] = len(stock_rows)

    # 5. No reservation outlives its order.
    for order_id, status in sql(args.database, "SELECT DISTINCT r.order_id, COALESCE(o.status, '(no order)') FROM order_reservations r "
                                               "LEFT JOIN orders o ON o.order_id = r.order_id"):
        if status not in HOLDING:
            violations["5 reservation of an order that holds no stock"].append("%s (%s)" % (order_id, status))

    # 1. Acknowledged orders.
    orders = {row[0]: (row[1], int(row[2])) for row in sql(args.database, "SELECT order_id, status, version FROM orders")}
    acknowledged = 0
    with open(args.orders_log, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            entry = json.loads(line)
            acknowledged += 1
            have = orders.get(entry["orderId"])
            if have is None:
                violations["1 acknowledged order missing"].append(entry["orderId"])
                continue
            status = have[0]
            if status == "submitted":
                violations["1 acknowledged order never decided"].append(entry["orderId"])
            elif entry["status"] == "rejected" and status != "rejected":
                violations["1 status contradicts the answer"].append("%s answered rejected, is %s" % (entry["orderId"], status))
            elif entry["status"] == "accepted" and status == "rejected":
                violations["1 status contradicts the answer"].append("%s answered accepted, is rejected" % entry["orderId"])
    counts["orders acknowledged by the API"] = acknowledged
    counts["orders in the database"] = len(orders)

    # 6. Latest position = newest plausible fix (one at 0,0 or outside the area the trucks drive in
    #    goes to the history only; the run's core checks no speed: its trucks drive faster than the clock).
    def plausible(lat, lon):
        return lat is not None and lon is not None and not (abs(lat) < 1e-6 and abs(lon) < 1e-6) and 15 <= lat <= 56 and 70 <= lon <= 138
    newest_on_topic = {}
    for (_, _, key, value, _) in topics.get("hub.vehicles.positions", []):
        event = json.loads(value)
        data = event.get("data", {})
        vehicle, fix_at = data.get("vehicleId"), data.get("fixAt")
        if vehicle and fix_at and plausible(data.get("lat"), data.get("lon")) and fix_at > newest_on_topic.get(vehicle, ""):
            newest_on_topic[vehicle] = fix_at
    history = {row[0]: int(row[1]) for row in sql(args.database, """
        SELECT vehicle_id, MAX(fix_at_ms) FROM vehicle_position_history
        WHERE NOT (abs(lat) < 0.000001 AND abs(lon) < 0.000001) AND lat BETWEEN 15 AND 56 AND lon BETWEEN 70 AND 138 GROUP BY vehicle_id""")}
    latest = {row[0]: (int(row[1]), row[2]) for row in sql(args.database, "SELECT vehicle_id, fix_at_ms, fix_at FROM vehicle_latest_position")}
    for vehicle, (fix_ms, fix_at) in latest.items():
        if history.get(vehicle, fix_ms) != fix_ms:
            violations["6 latest position is not the newest fix in history"].append("%s: %d vs %d" % (vehicle, fix_ms, history[vehicle]))
    for vehicle, fix_at in newest_on_topic.items():
        if vehicle not in latest:
            violations["6 vehicle with fixes but no latest position"].append(vehicle)
        elif to_ms(fix_at) != latest[vehicle][0]:
            violations["6 latest position is not the newest fix on the topic"].append("%s: %s vs %s" % (vehicle, latest[vehicle][1], fix_at))
    if not newest_on_topic:
        # A run whose trucks never reported checks nothing here (the simulator once waited on a
        # registration check that could never succeed, and every run passed with 0 positions).
        violations["6 no plausible fix on hub.vehicles.positions: the trucks never reported"].append("0 fixes")
    counts["vehicles with a position"] = len(latest)
    counts["positions on hub.vehicles.positions"] = len(topics.get("hub.vehicles.positions", []))

    # 7. hub.orders.updates ends where the database is.
    last_update = {}
    for (_, _, key, value, _) in topics.get("hub.orders.updates", []):
        data = json.loads(value).get("data", {})
        last_update[data.get("orderId")] = (data.get("status"), data.get("version"))
    for order_id, (status, version) in orders.items():
        update = last_update.get(order_id)
        if update is None:
            violations["7 order without any update"].append(order_id)
        elif update != (status, version):
            violations["7 last update differs from the database"].append("%s: update %s v%s, database %s v%s" % (order_id, update[0], update[1], status, version))
    counts["order updates"] = len(topics.get("hub.orders.updates", []))

    total = sum(len(v) for v in violations.values())
    print("chaos check")
    for name, value in sorted(json.loads(args.kills).items()):
        print("  %-58s %d" % (name, value))
    for name, value in counts.items():
        print("  %-58s %d" % (name, value))
    print("  %-58s %d" % ("violations", total))
    for name, items in sorted(violations.items()):
        print("    %s: %d, e.g. %s" % (name, len(items), "; ".join(items[:3])))
    return 1 if total else 0


def source_tuple(source):
    return (source[0], int(source[1]), int(source[2]))


def to_ms(text):
    from datetime import datetime
    return int(round(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000))


if __name__ == "__main__":
    sys.exit(main())
