"""An independent JT/T 808 terminal for testing the hub's gateway: plain sockets and struct,
written from the standard (JT/T 808-2013 and -2019), sharing no code with the hub.

    t = Terminal("127.0.0.1", 6808, "013800000001")          # 2013 header (6-byte BCD number)
    t = Terminal("127.0.0.1", 6808, "00000000013800000002", version2019=True)
    result, code = t.register(); t.authenticate(code); t.report(Fix(31.2, 121.4, when))
"""
import datetime
import socket
import struct
import time

REGISTER, REGISTER_ANSWER = 0x0100, 0x8100
AUTHENTICATE, PLATFORM_ANSWER = 0x0102, 0x8001
HEARTBEAT, LOGOUT, TERMINAL_ANSWER = 0x0002, 0x0003, 0x0001
LOCATION, BATCH, QUERY, QUERY_ANSWER = 0x0200, 0x0704, 0x8201, 0x0201
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def bcd(digits, size):
    digits = digits.rjust(size * 2, "0")[-size * 2:]
    return bytes(int(digits[i]) << 4 | int(digits[i + 1]) for i in range(0, size * 2, 2))


def escape(data):
    return data.replace(b"\x7d", b"\x7d\x01").replace(b"\x7e", b"\x7d\x02")


def unescape(data):
    return data.replace(b"\x7d\x02", b"\x7e").replace(b"\x7d\x01", b"\x7d")


def check_code(data):
    code = 0
    for byte in data:
        code ^= byte
    return code


def frame(message_id, number, serial, body, version2019=False, package=None):
    """One frame's bytes: flag, escaped header + body + check code, flag."""
    properties = len(body) & 0x03FF
    if package:
        properties |= 0x2000
    if version2019:
        properties |= 0x4000
    header = struct.pack(">HH", message_id, properties)
    header += (b"\x01" + bcd(number, 10)) if version2019 else bcd(number, 6)
    header += struct.pack(">H", serial)
    if package:
        header += struct.pack(">HH", package[0], package[1])
    content = header + body
    return b"\x7e" + escape(content + bytes([check_code(content)])) + b"\x7e"


def parse(raw):
    """A frame's fields; raises ValueError when it is not one."""
    if len(raw) < 2 or raw[0] != 0x7E or raw[-1] != 0x7E:
        raise ValueError("not a frame")
    content = unescape(raw[1:-1])
    if check_code(content[:-1]) != content[-1]:
        raise ValueError("bad check code")
    message_id, properties = struct.unpack(">HH", content[:4])
    if properties & 0x4000:
        number = content[5:15].hex()
        rest = content[15:-1]
    else:
        number = content[4:10].hex()
        rest = content[10:-1]
    serial = struct.unpack(">H", rest[:2])[0]
    body = rest[2:]
    if len(body) != properties & 0x03FF:
        raise ValueError("body length")
    return {"id": message_id, "number": number, "serial": serial, "body": body, "version2019": bool(properties & 0x4000)}


class Fix:
    def __init__(self, lat, lon, when, speed_kmh=60.0, direction=90):
        self.lat, self.lon, self.when, self.speed_kmh, self.direction = lat, lon, when, speed_kmh, direction

    def body(self):
        status = 0x02  # positioned
        if self.lat < 0:
            status |= 0x04
        if self.lon < 0:
            status |= 0x08
        local = self.when.astimezone(CHINA)
        return struct.pack(">IIIIHHH", 0, status, round(abs(self.lat) * 1_000_000), round(abs(self.lon) * 1_000_000), 12,
                           round(self.speed_kmh * 10), self.direction) + bcd(local.strftime("%y%m%d%H%M%S"), 6)

    def millis(self):
        return int(self.when.timestamp()) * 1000


class Closed(Exception):
    pass


class Terminal:
    def __init__(self, host, port, number, version2019=False, timeout=10.0):
        self.number, self.version2019 = number, version2019
        self.serial = 0
        self.buffer = b""
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)

    def close(self):
        self.sock.close()

    def next_serial(self):
        self.serial = (self.serial + 1) & 0xFFFF
        return self.serial

    def send(self, message_id, body=b"", package=None, number=None, serial=None):
        serial = self.next_serial() if serial is None else serial
        self.sock.sendall(frame(message_id, number or self.number, serial, body, self.version2019, package))
        return serial

    def receive(self, timeout=None):
        """The next frame from the gateway; Closed when the connection ends, socket.timeout when none comes."""
        if timeout is not None:
            self.sock.settimeout(timeout)
        while True:
            start = self.buffer.find(b"\x7e")
            end = self.buffer.find(b"\x7e", start + 1) if start >= 0 else -1
            if start >= 0 and end > start:
                raw, self.buffer = self.buffer[start:end + 1], self.buffer[end + 1:]
                return parse(raw)
            chunk = self.sock.recv(4096)
            if not chunk:
                raise Closed()
            self.buffer += chunk

    def answer_to(self, serial, timeout=None):
        """The platform's answer to the message with `serial`: (message id, result, rest of the body)."""
        while True:
            reply = self.receive(timeout)
            body = reply["body"]
            if reply["id"] in (PLATFORM_ANSWER, REGISTER_ANSWER) and struct.unpack(">H", body[:2])[0] == serial:
                if reply["id"] == PLATFORM_ANSWER:
                    return reply["id"], body[4], body[5:]
                return reply["id"], body[2], body[3:]
            if reply["id"] == QUERY:
                self.last_query = reply

    def register(self):
        body = struct.pack(">HH", 31, 100)
        if self.version2019:
            body += b"MAKER".ljust(11, b"\0") + b"MODEL-2019".ljust(30, b"\0") + b"ID2019".ljust(30, b"\0")
        else:
            body += b"MAKER" + b"MODEL-2013".ljust(20, b"\0") + b"ID2013\0"
        body += bytes([1]) + "沪A12345".encode("gbk")
        _, result, rest = self.answer_to(self.send(REGISTER, body))
        return result, rest.decode("ascii") if result == 0 else None

    def authenticate(self, code):
        data = code.encode("ascii")
        if self.version2019:
            body = bytes([len(data)]) + data + b"860000000000001" + b"1.0.0".ljust(20, b"\0")
        else:
            body = data
        return self.answer_to(self.send(AUTHENTICATE, body))[1]

    def heartbeat(self):
        return self.answer_to(self.send(HEARTBEAT))[1]

    def report(self, fix, timeout=None):
        return self.answer_to(self.send(LOCATION, fix.body()), timeout)[1]

    def batch(self, fixes, packages=1):
        body = struct.pack(">HB", len(fixes), 0)
        for fix in fixes:
            item = fix.body()
            body += struct.pack(">H", len(item)) + item
        if packages == 1:
            return [self.answer_to(self.send(BATCH, body))[1]]
        size = -(-len(body) // packages)
        parts = [body[i:i + size] for i in range(0, len(body), size)]
        first = self.serial + 1
        serials = [self.send(BATCH, part, package=(len(parts), index + 1), serial=(first + index) & 0xFFFF) for index, part in enumerate(parts)]
        self.serial = serials[-1]
        return [self.answer_to(serial)[1] for serial in serials]

    def answer_query(self, query, fix):
        return self.answer_to(self.send(QUERY_ANSWER, struct.pack(">H", query["serial"]) + fix.body()))[1]

    def logout(self):
        return self.answer_to(self.send(LOGOUT))[1]

    def wait_closed(self, seconds):
        """True when the gateway closes the connection within `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.receive(timeout=max(0.1, deadline - time.monotonic()))
            except Closed:
                return True
            except (socket.timeout, TimeoutError):
                return False
            except OSError:
                return True
        return False
