"""Shows a defect of the local broker (tansu 0.6.0, memory storage) with an independent client
(confluent-kafka), no LubeHub code involved: while several producers write one partition at once,
a consumer following that partition can skip messages, and sometimes stops getting any.

One transactional producer (1–3 messages per transaction) and N idempotent ones write a
single-partition topic for --seconds while a read_committed consumer follows it; then a fresh
consumer reads the whole partition, and the follower is given up to 60 s to reach its end.
Every message the fresh read has and the follower never got was skipped by the follower's
fetches. Exit status 1 when any was, or when the follower stopped getting messages before the
end of the partition.

Why it matters to the hub: on the embedded defaults every topic has one partition, and several
writers share some of them (hub.orders.events: the core's outbox relay and the ERP adapter;
hub.shipments: the ERP and carrier adapters). `lubehub-bench orders` then, about once in seven
20-second runs at 40 orders/s, reports an ERP confirmation whose update never came: the
confirmation is on hub.orders.events, committed, and the core's consumer was never given it.
Apache Kafka does not do this.

With --core LUBEHUB, `lubehub core` follows the partition too (on a SQLite database of its own):
the messages are canonical events (dealer.upserted, each with an id of its own), and at the end
every one of them must have been applied by the core — the ones its consumer was skipped past
included, found by reading the gaps in its offsets again (core.gapRecheckSeconds). Exit status 1
when the core did not apply them all within 60 s of the end.
"""
import argparse
import copy
import json
import os
import pathlib
import random
import re
import signal
import sqlite3
import subprocess
import tempfile
import sys
import threading
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--producers", type=int, default=3, help="idempotent producers beside the transactional one")
    parser.add_argument("--core", metavar="LUBEHUB", help="a lubehub binary: its core follows the partition too, and must apply every message")
    args = parser.parse_args()

    topic = "broker-race-" + uuid.uuid4().hex[:8]
    admin = AdminClient({"bootstrap.servers": args.bootstrap})  # kept: its futures fail if it is gone first
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result()
    stop = threading.Event()
    example = json.loads((pathlib.Path(__file__).parent.parent / "topics" / "hub.dealers.json").read_text())["examples"][0]["value"]

    def event(name):
        """A canonical dealer.upserted event with an id (and a dealer) of its own."""
        value = copy.deepcopy(example)
        value["id"] = value["subject"] = value["data"]["dealerId"] = f"race-{name}"
        return json.dumps(value, ensure_ascii=False).encode()

    core = start_core(args, topic) if args.core else None

    def transactional():
        producer = Producer({"bootstrap.servers": args.bootstrap, "transactional.id": "race-" + topic, "linger.ms": 5})
        producer.init_transactions()
        n = 0
        while not stop.is_set():
            producer.begin_transaction()
            for _ in range(random.randint(1, 3)):
                producer.produce(topic, event(f"t{n}"))
                n += 1
            producer.commit_transaction()

    def idempotent(index):
        producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True, "linger.ms": 0})
        n = 0
        while not stop.is_set():
            producer.produce(topic, event(f"p{index}-{n}"))
            n += 1
            producer.poll(0)
            if n % 4 == 0:
                producer.flush()
            time.sleep(random.random() * 0.004)
        producer.flush()

    followed = {}
    end = []

    def follow():
        consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "follow-" + topic, "isolation.level": "read_committed",
                             "enable.auto.commit": False, "fetch.wait.max.ms": 10})
        consumer.assign([TopicPartition(topic, 0, 0)])
        deadline = None
        while True:
            message = consumer.poll(0.05)
            if message is not None and not message.error():
                followed[message.offset()] = message.value()
            if end:
                deadline = deadline or time.time() + 60
                position = consumer.position([TopicPartition(topic, 0)])[0].offset
                if position > end[0] or time.time() > deadline:
                    if position <= end[0]:
                        print(f"the follower stopped getting messages at offset {position} (the partition ends at {end[0]})")
                    break
        consumer.close()

    writers = [threading.Thread(target=transactional)] + [threading.Thread(target=idempotent, args=(i,)) for i in range(args.producers)]
    follower = threading.Thread(target=follow)
    follower.start()
    for writer in writers:
        writer.start()
    time.sleep(args.seconds)
    stop.set()
    for writer in writers:
        writer.join()

    everything = {}
    reader = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "read-" + topic, "isolation.level": "read_committed",
                       "enable.auto.commit": False})
    reader.assign([TopicPartition(topic, 0, 0)])
    quiet = time.time()
    while time.time() - quiet < 3:
        message = reader.poll(0.1)
        if message is not None and not message.error():
            everything[message.offset()] = message.value()
            quiet = time.time()
    reader.close()
    end.append(max(everything))
    follower.join()

    reached = max(followed) if followed else -1
    skipped = sorted(offset for offset in everything if offset not in followed and offset <= reached)
    print(f"{len(everything)} messages on the partition; the follower got {len(followed)}, up to offset {reached}")
    print(f"skipped by the follower below that offset: {len(skipped)}" + (f", e.g. {[(o, json.loads(everything[o])['id']) for o in skipped[:8]]}" if skipped else ""))
    failed = bool(skipped) or reached < end[0]
    if core:
        failed = not check_core(core, topic, {json.loads(value)["id"] for value in everything.values()}) or failed
    return 1 if failed else 0


def start_core(args, topic):
    """`lubehub core` reading the race's topic (and nothing else that matters) into a database of its own."""
    work = tempfile.mkdtemp(prefix="broker-race-core-")
    log = open(os.path.join(work, "core.log"), "w")
    process = subprocess.Popen(
        [args.core, "core", "--bootstrap", args.bootstrap, "--database", os.path.join(work, "hub.sqlite"), "--group", "core-" + topic,
         "--event-topics", topic, "--interactive-topics", topic, "--positions-topic", topic + "-positions",
         "--dead-letter-topic", topic + "-dlq", "--eta-interval-seconds", "0"],
        stdout=log, stderr=subprocess.STDOUT)
    return {"process": process, "work": work, "log": log}


def check_core(core, topic, ids):
    """Waits (up to 60 s) until the core applied every id; says what it did. True when it did."""
    database = os.path.join(core["work"], "hub.sqlite")
    deadline = time.time() + 60
    applied = set()
    while time.time() < deadline:
        try:
            with sqlite3.connect(database) as connection:
                applied = {row[0] for row in connection.execute("SELECT event_id FROM applied_events WHERE topic = ?", (topic,))}
        except sqlite3.Error:
            pass
        if ids <= applied:
            break
        time.sleep(0.5)
    core["process"].send_signal(signal.SIGTERM)
    core["process"].wait(timeout=60)
    core["log"].close()
    log = pathlib.Path(core["work"], "core.log").read_text()
    recovered = [line for line in log.splitlines() if "skipped past messages" in line]
    count = sum(int(match.group(1)) for line in recovered for match in [re.search(r"\bmessages=(\d+)", line)] if match)
    missing = sorted(ids - applied)
    print(f"lubehub core applied {len(applied & ids)} of the {len(ids)} events; its consumer was skipped past {count} of them, "
          f"read again from the gaps in its offsets ({len(recovered)} times)")
    if missing:
        print(f"NOT APPLIED by the core: {len(missing)}, e.g. {missing[:8]} (its log and database: {core['work']})")
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
