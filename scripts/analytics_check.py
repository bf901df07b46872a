#!/usr/bin/env python3
"""The figures, recomputed independently (R4, R8).

Reads the raw events on the hub's topics with confluent-kafka — the commands, the ERP's and the core's order
events, the shipments, the contracts, the funds, the materials and warehouses — and recomputes, for every
dealer and for each carrier over a period of whole months (China time), what the hub's API answers: contracted
and taken volume, fulfilment rate, valid-order rate, revenue, gross margin, fund budget, use and remaining,
the contribution and what the dealer sold to its customers (sell-through); the on-time delivery rate and ETA
accuracy per carrier. Nothing is shared with the hub's code: the formulas are README's ("The figures"),
written again here. Every figure must agree exactly (volumes to the millilitre, money to the fen, rates to
four places).

  analytics_check.py --bootstrap H:P --api http://127.0.0.1:PORT --token TOKEN --from YYYY-MM-DD --to YYYY-MM-DD
"""
import argparse
import datetime
import json
import sys
import urllib.request
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP

CHINA = datetime.timezone(datetime.timedelta(hours=8))


def read_topic(bootstrap, topic):
    """Every value of a topic, in offset order per partition, from the beginning to the end
    (confluent-kafka: a client of its own, not the hub's)."""
    from confluent_kafka import Consumer, TopicPartition, KafkaException
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "analytics-check", "enable.auto.commit": False,
                         "enable.partition.eof": True, "isolation.level": "read_committed"})
    try:
        metadata = consumer.list_topics(topic, timeout=30)
        partitions = list(metadata.topics[topic].partitions) if topic in metadata.topics else []
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        remaining, rows, idle = set(partitions), [], 0
        while remaining and idle < 60:
            message = consumer.poll(1.0)
            if message is None:
                idle += 1
                continue
            idle = 0
            if message.error():
                if message.error().code() == -191:  # _PARTITION_EOF
                    remaining.discard(message.partition())
                    continue
                raise KafkaException(message.error())
            try:
                rows.append((message.partition(), message.offset(), json.loads(message.value())))
            except (ValueError, TypeError):
                pass  # not an event (the hub dead-letters these)
        if remaining:
            sys.exit("could not read %s to its end (partitions %s)" % (topic, sorted(remaining)))
    finally:
        consumer.close()
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def china_month(text):
    return instant(text).astimezone(CHINA).strftime("%Y-%m")


def china_day(text):
    return instant(text).astimezone(CHINA).date()


def whole(value, scale):
    """value × 10^scale, rounded half away from zero."""
    return int((Decimal(value) * (Decimal(10) ** scale)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ratio(numerator, denominator):
    if denominator == 0:
        return None
    return str((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def units(value, scale):
    return str((Decimal(value) / (Decimal(10) ** scale)).quantize(Decimal(1) / (Decimal(10) ** scale)))


def month_range(first, last):
    months = []
    y, m = int(first[:4]), int(first[5:7])
    while "%04d-%02d" % (y, m) <= last:
        months.append("%04d-%02d" % (y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def spread_by_month(first, last, totals):
    """Whole-number totals spread over the months of first..last (both included) by days; each month's
    share rounded so the shares add up (the running total is rounded, not each month)."""
    start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    if end < start:
        return {}
    total_days = (end - start).days + 1

    def share(total, part):
        q, r = divmod(total * part, total_days)
        return q + 1 if r * 2 >= total_days else q

    out, days, spent = {}, 0, [0] * len(totals)
    day = start
    while day <= end:
        next_month = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        days += (min(end, next_month - datetime.timedelta(days=1)) - day).days + 1
        shares = [share(total, days) - spent[i] for i, total in enumerate(totals)]
        spent = [s + m for s, m in zip(spent, shares)]
        out[day.strftime("%Y-%m")] = tuple(shares)
        day = next_month
    return out


def contract_by_month(contract):
    """A contract's millilitres and grams per month (a cancelled one counts nothing)."""
    if contract.get("status") == "cancelled":
        return {}
    return spread_by_month(contract["validFrom"], contract["validTo"],
                           [whole(contract.get("contractedLitres") or "0", 3), whole(contract.get("contractedKilograms") or "0", 3)])


def fund_by_month(entry):
    """A fund entry's fen per month: a budget spread by days, a use on its day (a reversed one counts nothing)."""
    if entry.get("status") == "reversed":
        return {}
    return {month: fen for month, (fen,) in spread_by_month(entry["periodFrom"], entry["periodTo"], [whole(entry["amount"], 2)]).items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--from", dest="start", required=True)
    parser.add_argument("--to", dest="end", required=True)
    args = parser.parse_args()
    months = set(month_range(args.start[:7], args.end[:7]))

    materials, plants = {}, {}
    for event in read_topic(args.bootstrap, "hub.materials"):
        data = event["data"]
        materials[data["materialId"]] = data
    for event in read_topic(args.bootstrap, "hub.warehouses"):
        plants[event["data"]["warehouseId"]] = event["data"]["plantId"]
    contracts = {}
    for event in read_topic(args.bootstrap, "hub.contracts"):
        contracts[event["data"]["contractId"]] = event["data"]

    funds = {}
    for event in read_topic(args.bootstrap, "hub.funds"):
        funds[event["data"]["entryId"]] = event["data"]
    sales = {}  # the dealers' sell-through: the last copy of each record (a correction replaces it)
    for event in read_topic(args.bootstrap, "hub.sell-through"):
        if event["type"] == "sell-through.recorded":
            sales[(event["data"]["dealerId"], event["data"]["recordId"])] = event["data"]

    orders = {}  # orderId -> what the figures need
    for event in read_topic(args.bootstrap, "hub.orders.commands"):
        data = event["data"]
        if event["type"] == "order.submit" and data["orderId"] not in orders:
            orders[data["orderId"]] = {"dealer": data["dealerId"], "placed": event["occurredAt"], "lines": data["lines"], "accepted": None,
                                       "cancelled": False, "rejected": False, "confirmed": {}, "shipments": [], "dispatched": None}
    for event in read_topic(args.bootstrap, "hub.orders.events"):
        data = event["data"]
        order = orders.get(data.get("orderId"))
        if order is None:
            continue
        kind = event["type"]
        if kind == "order.accepted":
            order["accepted"] = data
        elif kind == "order.rejected":
            order["rejected"] = True
        elif kind == "order.cancelled":
            order["cancelled"] = True
        elif kind == "order.dispatched" and order["dispatched"] is None:
            # The ERP's goods issue, or the core's own announcement when the order's first shipment left: the first one counts.
            order["dispatched"] = (data["dispatchedAt"], data.get("shipmentId"))
        elif kind == "order.confirmed":
            order["confirmed"] = {line["lineNo"]: line["confirmedQuantity"] for line in data.get("lines", [])}
    shipments = {}
    for event in read_topic(args.bootstrap, "hub.shipments"):
        data = event["data"]
        shipment = shipments.setdefault(data["shipmentId"], {"orders": [], "carrier": None, "promised": None, "delivered": None, "origin": None,
                                                             "arrived": None, "eta": None})
        if event["type"] == "shipment.created":
            shipment.update(orders=data["orderIds"], carrier=data["carrierId"], promised=data.get("promisedDate"), origin=data["originWarehouseId"])
            for order_id in data["orderIds"]:
                if order_id in orders:
                    orders[order_id]["shipments"].append(data["shipmentId"])
        elif event["type"] == "shipment.delivered":
            shipment["delivered"] = data["deliveredAt"]
        elif event["type"] == "shipment.arrived":
            shipment["arrived"] = data["arrivedAt"]
        elif event["type"] == "shipment.eta-reported" and data.get("reportedBy") != "hub" and shipment["eta"] is None:
            shipment["eta"] = data["eta"]  # the carrier's first estimate

    dealers = defaultdict(lambda: {"submitted": 0, "valid": 0, "taken_ml": 0, "revenue": 0, "cost": 0, "uncosted": 0, "fund_budget": 0, "fund_used": 0, "sold_ml": 0,
                                   "line_taken": defaultdict(lambda: [0, 0]), "line_contract": defaultdict(lambda: [0, 0])})
    for order_id, order in orders.items():
        figures = dealers[order["dealer"]]
        if china_month(order["placed"]) in months:
            figures["submitted"] += 1
            if order["accepted"] and not order["cancelled"]:
                figures["valid"] += 1
        if not order["accepted"] or order["cancelled"]:
            continue
        if order["dispatched"] is None:
            continue
        dispatched, shipment_id = order["dispatched"]
        if china_month(dispatched) not in months:
            continue
        reserved = [(line["lineNo"], r["warehouseId"]) for line in order["accepted"]["lines"] for r in line.get("reservations", [])]
        warehouse = min(reserved)[1] if reserved else shipments.get(shipment_id, {}).get("origin")
        plant = plants.get(warehouse, warehouse)
        prices = {line["lineNo"]: line.get("unitPrice") for line in order["accepted"]["lines"]}
        for line in order["lines"]:
            material = materials.get(line["materialId"], {})
            quantity = Decimal(order["confirmed"].get(line["lineNo"], line["quantity"]))
            ml = whole(quantity * Decimal(material.get("volumeLitres") or "0"), 3)
            g = whole(quantity * Decimal(material.get("netWeightKg") or "0"), 3)
            revenue = whole(quantity * Decimal(prices.get(line["lineNo"]) or "0"), 2)
            unit_cost = next((v["unitCost"] for v in material.get("valuations") or [] if v["plantId"] == plant), None)
            figures["taken_ml"] += ml
            figures["revenue"] += revenue
            taken = figures["line_taken"][material.get("productLine", "?")]
            taken[0] += ml
            taken[1] += g
            if unit_cost is None:
                figures["uncosted"] += revenue
            else:
                figures["cost"] += whole(quantity * Decimal(unit_cost), 2)
    contracted = defaultdict(int)
    for contract in contracts.values():
        for month, (ml, g) in contract_by_month(contract).items():
            if month in months:
                figures = dealers[contract["dealerId"]]
                figures["line_contract"][contract["productLine"]][0] += ml
                figures["line_contract"][contract["productLine"]][1] += g
                contracted[contract["dealerId"]] += ml

    for entry in funds.values():
        for month, fen in fund_by_month(entry).items():
            if month in months:
                dealers[entry["dealerId"]]["fund_budget" if entry["entry"] == "budget" else "fund_used"] += fen

    for (dealer_id, _), sale in sales.items():
        if china_month(sale["soldAt"]) in months:
            volume = materials.get(sale["materialId"], {}).get("volumeLitres") or "0"
            dealers[dealer_id]["sold_ml"] += whole(Decimal(sale["quantity"]) * Decimal(volume), 3)

    request = lambda path: json.loads(urllib.request.urlopen(urllib.request.Request(args.api + path, headers={"Authorization": "Bearer " + args.token}),
                                                              timeout=30).read())
    disagreements, compared = [], 0
    for dealer_id in sorted(d for d in dealers if d in {o["dealer"] for o in orders.values()}):
        figures = dealers[dealer_id]
        taken, covered = 0, 0
        for line, (c_ml, c_g) in figures["line_contract"].items():
            t_ml, t_g = figures["line_taken"].get(line, [0, 0])
            if c_ml > 0:
                taken, covered = taken + t_ml, covered + c_ml
            elif c_g > 0:
                taken, covered = taken + t_g, covered + c_g
        expected = {
            "contractedVolume": units(contracted[dealer_id], 3), "takenVolume": units(figures["taken_ml"], 3),
            "fulfilmentRate": ratio(taken, covered), "validOrderRate": ratio(figures["valid"], figures["submitted"]),
            "revenue": units(figures["revenue"], 2), "grossMargin": units(figures["revenue"] - figures["uncosted"] - figures["cost"], 2),
        }
        margin = figures["revenue"] - figures["uncosted"] - figures["cost"]
        in_figures = {"fundBudget": units(figures["fund_budget"], 2), "fundUsed": units(figures["fund_used"], 2),
                      "fundRemaining": units(figures["fund_budget"] - figures["fund_used"], 2), "contribution": units(margin - figures["fund_used"], 2),
                      "soldVolume": units(figures["sold_ml"], 3)}
        answer = request("/v1/analytics/dealers/%s?from=%s&to=%s" % (dealer_id, args.start, args.end))
        compared += 1
        for field, value in expected.items():
            if answer.get(field) != value:
                disagreements.append("dealer %s %s: recomputed %s, the hub %s" % (dealer_id, field, value, answer.get(field)))
        for field, value in in_figures.items():
            if answer["figures"].get(field) != value:
                disagreements.append("dealer %s figures.%s: recomputed %s, the hub %s" % (dealer_id, field, value, answer["figures"].get(field)))

    carriers = defaultdict(lambda: [0, 0, 0, 0, 0])  # on time, promised; ETAs compared, their minutes off, kept
    for shipment in shipments.values():
        if not (shipment["delivered"] and shipment["carrier"] and china_month(shipment["delivered"]) in months):
            continue
        figures = carriers[shipment["carrier"]]
        if shipment["promised"]:
            figures[1] += 1
            if china_day(shipment["delivered"]) <= datetime.date.fromisoformat(shipment["promised"]):
                figures[0] += 1
        if shipment["eta"]:
            arrival, eta = instant(shipment["arrived"] or shipment["delivered"]), instant(shipment["eta"])
            figures[2] += 1
            figures[3] += int((Decimal(abs((arrival - eta).total_seconds())) / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            figures[4] += 1 if arrival <= eta + datetime.timedelta(minutes=30) else 0
    table = request("/v1/scorecards/carriers?from=%s&to=%s&limit=1000" % (args.start, args.end))
    rows = {row["id"]: row for row in table["rows"]}
    for carrier, (on_time, promised, etas, minutes, kept) in sorted(carriers.items()):
        compared += 1
        measures = rows.get(carrier, {}).get("measures", {})
        error = None if etas == 0 else str((Decimal(minutes) / Decimal(etas)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        for name, value in [("onTimeDeliveryRate", ratio(on_time, promised)), ("etaKeptRate", ratio(kept, etas)), ("etaErrorMinutes", error)]:
            if measures.get(name) != value:
                disagreements.append("carrier %s %s: recomputed %s, the hub %s" % (carrier, name, value, measures.get(name)))

    print("analytics check: %d orders, %d shipments, %d contracts, %d fund entries, %d sell-through records read; %d dealers and %d carriers compared over %s to %s; %d disagreements"
          % (len(orders), len(shipments), len(contracts), len(funds), len(sales), compared - len(carriers), len(carriers), args.start, args.end, len(disagreements)))
    for line in disagreements[:30]:
        print("  " + line)
    return 1 if disagreements or compared == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
