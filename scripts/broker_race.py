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
hub.shipments: the ERP and carrier adapters). `lubehub bench orders` then, about once in seven
20-second runs at 40 orders/s, reports an ERP confirmation whose update never came: the
confirmation is on hub.orders.events, committed, and the core's consumer was never given it.
Apache Kafka does not do this.
"""
import argparse
import random
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
    args = parser.parse_args()

    topic = "broker-race-" + uuid.uuid4().hex[:8]
    admin = AdminClient({"bootstrap.servers": args.bootstrap})  # kept: its futures fail if it is gone first
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result()
    stop = threading.Event()

    def transactional():
        producer = Producer({"bootstrap.servers": args.bootstrap, "transactional.id": "race-" + topic, "linger.ms": 5})
        producer.init_transactions()
        n = 0
        while not stop.is_set():
            producer.begin_transaction()
            for _ in range(random.randint(1, 3)):
                producer.produce(topic, f"t{n}".encode())
                n += 1
            producer.commit_transaction()

    def idempotent(index):
        producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True, "linger.ms": 0})
        n = 0
        while not stop.is_set():
            producer.produce(topic, f"p{index}-{n}".encode())
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
    print(f"skipped by the follower below that offset: {len(skipped)}" + (f", e.g. {[(o, everything[o].decode()) for o in skipped[:8]]}" if skipped else ""))
    return 1 if skipped or reached < end[0] else 0


if __name__ == "__main__":
    sys.exit(main())
