"""Drives the hub's JT/T 808 gateway with independent terminals (Tests/interop/jt808_terminal.py);
run by scripts/gateway-check, which starts the hub. Every step prints what it proved; the first
failure stops the run with the reason."""
import datetime
import json
import os
import signal
import socket
import sqlite3
import sys
import time
import urllib.error
import urllib.request

from jt808_terminal import Closed, Fix, Terminal, QUERY

BASE, PORT = os.environ["BASE"], int(os.environ["GATEWAY_PORT"])
DATABASE, BROKER_PID = os.environ["DATABASE"], int(os.environ["BROKER_PID"])
SUCCESS, FAILURE, NO_SUCH_TERMINAL = 0, 1, 4
acknowledged = []  # (vehicle, fix) answered success: each must reach the store
step_number = 0


def step(text):
    global step_number
    step_number += 1
    print("[gateway-check] %2d. %s" % (step_number, text), flush=True)


def expect(condition, reason):
    if not condition:
        print("[gateway-check] FAILED: " + reason, flush=True)
        sys.exit(1)


def post(path, token, body):
    request = urllib.request.Request(BASE + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def register_vehicle(token, carrier, vehicle, terminal):
    status = post("/v1/carrier/events", token, {"events": [{
        "eventId": "reg-" + vehicle, "carrierId": carrier, "type": "vehicle.registered", "time": "2026-12-01 08:00:00",
        "vehicle": {"vehicleId": vehicle, "plate": "沪A·" + vehicle[-5:], "terminalId": terminal}}]})
    expect(status == 202, "registering %s answered %d" % (vehicle, status))


def terminal(number, version2019=False):
    return Terminal("127.0.0.1", PORT, number, version2019=version2019)


def registered(number, version2019=False, seconds=60):
    """A connected terminal that registered (waiting until the hub learnt of its vehicle) and authenticated."""
    deadline = time.monotonic() + seconds
    while True:
        t = terminal(number, version2019)
        result, code = t.register()
        if result == SUCCESS:
            expect(t.authenticate(code) == SUCCESS, "terminal %s: the code it was just given was refused" % number)
            return t, code
        t.close()
        expect(result == NO_SUCH_TERMINAL and time.monotonic() < deadline, "terminal %s: registration answered %d" % (number, result))
        time.sleep(0.5)


def now_fix(offset, lat=31.23, lon=121.47):
    when = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(seconds=600 - offset)
    return Fix(lat + offset / 10_000, lon + offset / 10_000, when)


def wait_listening(seconds=60):
    """The gateway listens once it read the terminals and credentials the topics hold."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=2).close()
            return
        except OSError:
            expect(time.monotonic() < deadline, "the gateway does not listen on %d after %d s" % (PORT, seconds))
            time.sleep(0.2)


def main():
    token, other = os.environ["TOKEN_CARRIER"], os.environ["TOKEN_OTHER"]
    wait_listening()
    register_vehicle(token, "CAR-GW", "V-GW-1", "013800000001")
    register_vehicle(token, "CAR-GW", "V-GW-2", "00000000013800000002")
    register_vehicle(other, "CAR-GX", "V-GX-3", "013800000003")

    step("an unknown terminal: registration answered 'no such terminal', nothing taken from it")
    stranger = terminal("013899999999")
    result, code = stranger.register()
    expect(result == NO_SUCH_TERMINAL and code is None, "unknown terminal: registration answered %d" % result)
    expect(stranger.report(now_fix(0)) == FAILURE, "an unknown terminal's fix was answered success")
    stranger.close()

    step("2013 header: register (a code), authenticate; a position before authentication is refused")
    t1 = terminal("013800000001")
    expect(t1.report(now_fix(1)) == FAILURE, "a fix before authentication was answered success")
    t1.close()
    t1, code1 = registered("013800000001")
    expect(len(code1) >= 16, "the authentication code %r is too short to be random" % code1)

    step("a wrong authentication code is refused; the right one is taken")
    wrong = terminal("013800000001")
    expect(wrong.authenticate("0" * len(code1)) == FAILURE, "a wrong code was accepted")
    expect(wrong.heartbeat() == FAILURE, "a heartbeat after a failed authentication was answered success")
    wrong.close()

    step("heartbeat and positions (2013): each answered success once the broker took it")
    expect(t1.heartbeat() == SUCCESS, "heartbeat not answered success")
    for offset in range(2, 7):
        fix = now_fix(offset)
        expect(t1.report(fix) == SUCCESS, "fix %d not answered success" % offset)
        acknowledged.append(("V-GW-1", fix))

    step("2019 header (20-digit number): register, authenticate, positions, a batch of three, a batch in two packages")
    t2, _ = registered("00000000013800000002", version2019=True)
    fix = now_fix(10, 22.54, 114.06)
    expect(t2.report(fix) == SUCCESS, "2019 fix not answered success")
    acknowledged.append(("V-GW-2", fix))
    batch = [now_fix(11 + i, 22.54, 114.06) for i in range(3)]
    expect(t2.batch(batch) == [SUCCESS], "batch not answered success")
    acknowledged.extend(("V-GW-2", f) for f in batch)
    packaged = [now_fix(20 + i, 22.55, 114.07) for i in range(4)]
    expect(t2.batch(packaged, packages=2) == [SUCCESS, SUCCESS], "the packages of a batch were not each answered success")
    acknowledged.extend(("V-GW-2", f) for f in packaged)

    step("a terminal reporting for another's vehicle (another carrier's terminal number) is refused")
    serial = t1.send(0x0200, now_fix(30).body(), number="013800000003")
    _, result, _ = t1.answer_to(serial)
    expect(result == FAILURE, "a frame with another terminal's number was answered %d" % result)

    step("locate this truck now: the carrier asks over the API, the gateway sends 0x8201, the terminal's 0x0201 becomes a position")
    expect(post("/v1/vehicles/V-GW-1/locate", token, {}) == 202, "the carrier's locate request was not taken")
    query = None
    deadline = time.monotonic() + 30
    while query is None:
        expect(time.monotonic() < deadline, "no position query (0x8201) reached the terminal within 30 s")
        try:
            frame = t1.receive(timeout=max(0.1, deadline - time.monotonic()))
        except (socket.timeout, TimeoutError):
            continue
        if frame["id"] == QUERY:
            query = frame
    fix = now_fix(31)
    expect(t1.answer_query(query, fix) == SUCCESS, "the position query's answer was not answered success")
    acknowledged.append(("V-GW-1", fix))
    try:
        post("/v1/vehicles/V-GX-3/locate", token, {})
        expect(False, "a carrier located another carrier's truck")
    except urllib.error.HTTPError as error:
        expect(error.code == 404, "locating another carrier's truck answered %d, not 404" % error.code)

    step("a second connection of the same terminal replaces the first")
    t1b = terminal("013800000001")
    expect(t1b.authenticate(code1) == SUCCESS, "re-authentication refused")
    expect(t1.wait_closed(10), "the replaced session was not closed")
    fix = now_fix(32)
    expect(t1b.report(fix) == SUCCESS, "fix on the new session not answered success")
    acknowledged.append(("V-GW-1", fix))

    step("logout ends the session")
    expect(t1b.logout() == SUCCESS and t1b.wait_closed(5), "logout did not end the session")

    step("garbage closes the connection")
    junk = terminal("013800000001")
    junk.sock.sendall(bytes((i * 37 + 11) % 126 for i in range(40_000)))
    expect(junk.wait_closed(10), "a flood of garbage did not close the connection")

    step("a connection silent for three heartbeat intervals (6 s here) is closed")
    idle = terminal("013899999998")
    started = time.monotonic()
    expect(idle.wait_closed(20), "an idle connection was not closed within 20 s")
    expect(time.monotonic() - started >= 5.5, "an idle connection was closed after %.1f s, before its timeout" % (time.monotonic() - started))

    step("the broker paused mid-stream: no success for a fix it did not take; sent again once it is back")
    t3, _ = registered("013800000001")
    os.kill(BROKER_PID, signal.SIGSTOP)
    pending = []
    try:
        for offset in range(40, 43):
            fix = now_fix(offset)
            try:
                result = t3.report(fix, timeout=20)
            except (socket.timeout, TimeoutError):
                result = None
            expect(result != SUCCESS, "a fix was answered success while the broker was paused")
            pending.append(fix)
    finally:
        os.kill(BROKER_PID, signal.SIGCONT)
    for fix in pending:
        deadline = time.monotonic() + 60
        while True:
            try:
                result = t3.report(fix, timeout=20)
            except (socket.timeout, TimeoutError):
                result = None
            if result == SUCCESS:
                acknowledged.append(("V-GW-1", fix))
                break
            expect(time.monotonic() < deadline, "a fix re-sent after the broker came back was not answered success within 60 s")
            time.sleep(0.5)  # a terminal waits before it sends again
    print("[gateway-check]     %d fixes answered failure (or nothing) while paused, then success when sent again" % len(pending))

    step("the hub knows who is online: V-GW-1 now, V-GW-2 no longer (its session ended when it fell silent)")
    deadline = time.monotonic() + 30
    while True:
        expect(t3.heartbeat() == SUCCESS, "a heartbeat was not answered success")
        database = sqlite3.connect("file:%s?mode=ro" % DATABASE, uri=True, timeout=10)
        try:
            sessions = {row[0]: row[1:] for row in database.execute(
                "SELECT vehicle_id, connected, reason, protocol FROM terminal_sessions WHERE vehicle_id LIKE 'V-GW-%'")}
        finally:
            database.close()
        one, two = sessions.get("V-GW-1"), sessions.get("V-GW-2")
        if one and one[0] == 1 and one[2] == "2013" and two and two[0] == 0 and "idle" in (two[1] or "") and two[2] == "2019":
            break
        expect(time.monotonic() < deadline, "terminal sessions in the store after 30 s: %s" % sessions)
        time.sleep(0.5)

    step("every fix answered success is in the store (%d)" % len(acknowledged))
    deadline = time.monotonic() + 90
    while True:
        database = sqlite3.connect("file:%s?mode=ro" % DATABASE, uri=True, timeout=10)
        try:
            stored = set(database.execute("SELECT vehicle_id, fix_at_ms FROM vehicle_position_history WHERE vehicle_id LIKE 'V-GW-%'"))
        finally:
            database.close()
        missing = [(vehicle, fix.when.isoformat()) for vehicle, fix in acknowledged if (vehicle, fix.millis()) not in stored]
        if not missing:
            break
        expect(time.monotonic() < deadline, "%d acknowledged fixes are not in the store after 90 s: %s" % (len(missing), missing[:5]))
        time.sleep(1)
    print("[gateway-check] all %d steps passed" % step_number)


if __name__ == "__main__":
    main()
