#!/usr/bin/env python3
"""An independent Kafka client (confluent-kafka, from .venv) for LubeHub's interop tests.

  consume --bootstrap B --topic T --count N   prints N messages as JSON lines
          [--key K]     only the messages of key K (UTF-8)
          [--assign]    every partition from its beginning, without joining a consumer group
  produce --bootstrap B --topic T             sends JSON lines read from stdin

A message as JSON: {"partition", "offset", "key", "value", "headers": [[name, value], ...]},
where key, value and header values are hex strings, or null when absent.
"""
import argparse
import json
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING


def hexed(data):
    return None if data is None else data.hex()


def unhexed(text):
    return None if text is None else bytes.fromhex(text)


def consume(args):
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "interop-" + uuid.uuid4().hex,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": 6000,
        "fetch.wait.max.ms": 10,
        "enable.auto.commit": False,
    })
    if args.assign:
        partitions = consumer.list_topics(args.topic, timeout=10).topics[args.topic].partitions
        consumer.assign([TopicPartition(args.topic, partition, OFFSET_BEGINNING) for partition in sorted(partitions)])
    else:
        consumer.subscribe([args.topic])
    received = 0
    deadline = time.monotonic() + args.timeout
    while received < args.count and time.monotonic() < deadline:
        for message in consumer.consume(num_messages=500, timeout=0.5):
            if message.error():
                print("error: %s" % message.error(), file=sys.stderr)
                continue
            if args.key is not None and message.key() != args.key.encode():
                continue
            print(json.dumps({
                "partition": message.partition(),
                "offset": message.offset(),
                "key": hexed(message.key()),
                "value": hexed(message.value()),
                "headers": [[name, hexed(value)] for name, value in (message.headers() or [])],
            }))
            received += 1
    consumer.close()
    return 0 if received >= args.count else 1


def produce(args):
    producer = Producer({"bootstrap.servers": args.bootstrap, "linger.ms": 1, "enable.idempotence": True})
    failures = []

    def report(error, message):
        if error is not None:
            failures.append(str(error))

    sent = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        producer.produce(
            args.topic,
            key=unhexed(message.get("key")),
            value=unhexed(message.get("value")),
            headers=[(name, unhexed(value)) for name, value in message.get("headers", [])],
            on_delivery=report,
        )
        sent += 1
    left = producer.flush(30)
    print(json.dumps({"sent": sent, "undelivered": left, "failures": failures}))
    return 0 if left == 0 and not failures else 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["consume", "produce"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--key", help="consume: only the messages of this key (UTF-8)")
    parser.add_argument("--assign", action="store_true", help="consume: every partition from its beginning, in no consumer group")
    args = parser.parse_args()
    return consume(args) if args.mode == "consume" else produce(args)


if __name__ == "__main__":
    sys.exit(main())
