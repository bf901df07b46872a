"""The console in a real browser: headless Chromium from Debian, driven by Selenium, against a live
`lubehub serve` that scripts/console-check started (with the catalogue's master data and three
accounts). Each step asserts what a person would see; the run writes the main pages' screenshots
(desktop and phone width) to docs/screenshots/. Exits non-zero at the first failed step, naming it.

    scripts/console-check        (starts the hub, then runs this with BASE, TOKEN_DEALER, ... set)
"""
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["BASE"]
DEALER_TOKEN = os.environ["TOKEN_DEALER"]
SHOTS = os.environ.get("SCREENSHOTS", "")
PASSWORDS = {"rep17": "rep-pass-2026!", "d1": "dealer-pass-2026!", "t2": "tier2-pass-2026!", "bm": "manager-pass-2026!", "admin": "admin-pass-2026!",
             "car7": "carrier-pass-2026!"}
WAIT = 30
steps = 0


def step(name):
    global steps
    steps += 1
    print("[console-check] %2d %s" % (steps, name), flush=True)


def fail(message):
    print("[console-check] FAILED: %s" % message, flush=True)
    # What the hub counted, for whoever reads the failure: each adapter's messages in, out and dead-lettered.
    try:
        with urllib.request.urlopen(BASE + "/metrics", timeout=10) as answer:
            for line in answer.read().decode().splitlines():
                if line.startswith(("lubehub_adapter_messages_in_total", "lubehub_adapter_messages_out_total", "lubehub_adapter_dead_letters_total")):
                    print("[console-check]   %s" % line, flush=True)
    except Exception as error:
        print("[console-check]   (no metrics: %s)" % error, flush=True)
    sys.exit(1)


def browser(width=1280, height=900):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN",
                     "--window-size=%d,%d" % (width, height)):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def api(method, path, body=None, token=None, cookie=None, csrf=None):
    request = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if cookie:
        request.add_header("Cookie", cookie)
    if csrf:
        request.add_header("X-CSRF-Token", csrf)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_for(driver, condition, what):
    try:
        # A page being replaced (a form's answer navigating) leaves elements stale, missing or detached from the
        # document for a moment (Chromium's "Node with given id does not belong to the document"): look again.
        return WebDriverWait(driver, WAIT, ignored_exceptions=(WebDriverException,)).until(condition)
    except Exception as error:
        fail("%s (on %s; %s: %s): %s" % (what, driver.current_url, type(error).__name__, str(error).split("\n")[0][:200],
                                          driver.find_element(By.TAG_NAME, "main").text[:400]))


def sign_in(driver, login, password, expect_next):
    driver.find_element(By.NAME, "login").clear()
    driver.find_element(By.NAME, "login").send_keys(login)
    driver.find_element(By.NAME, "password").clear()
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#sign-in-form button[type=submit]").click()
    wait_for(driver, lambda d: "/sign-in" not in d.current_url and d.current_url.split("?")[0].endswith(expect_next),
             "signed in as %s, to %s" % (login, expect_next))


def shoot(driver, name):
    if not SHOTS:
        return
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        driver.set_window_size(width, 900 if width > 400 else 844)
        time.sleep(0.3)  # the layout settles after a resize; a screenshot only, nothing is asserted on it
        wide = driver.execute_script("return document.documentElement.scrollWidth")
        if width == 390 and wide > 390:
            fail("%s scrolls sideways at 390 px wide (%d px)" % (name, wide))
        # The whole page, up to a screen and a half more than the window.
        tall = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(tall, 844), 2200))
        time.sleep(0.3)
        driver.save_screenshot(os.path.join(SHOTS, "%s-%s.png" % (name, suffix)))
    driver.set_window_size(1280, 900)


def choose_kind(driver, select_id, kind, field_id, what):
    """A form whose fields depend on its kind: `field_id` is hidden for the first kind and shown once `kind` is chosen."""
    if driver.find_element(By.ID, field_id).is_displayed():
        fail("%s shown before its kind is chosen" % what)
    Select(driver.find_element(By.ID, select_id)).select_by_value(kind)
    wait_for(driver, lambda d: d.find_element(By.ID, field_id).is_displayed(), "%s shown once the kind is %s" % (what, kind))


def publish(topic, key, kind, data, source=None):
    """A canonical event, as the adapters would write it (confluent-kafka, an independent client)."""
    source = source or ("adapter-erp" if kind == "shipment.created" else "adapter-carrier")
    event = {"id": "console-check:%s:%s:%d" % (kind, key, time.time_ns()), "type": kind, "source": source,
             "occurredAt": now(), "subject": key, "schemaVersion": 1, "data": data}
    publish_raw(topic, key, json.dumps(event, ensure_ascii=False).encode())


def publish_raw(topic, key, value):
    from confluent_kafka import Producer
    producer = Producer({"bootstrap.servers": os.environ["BOOTSTRAP"]})
    producer.produce(topic, key=key, value=value)
    if producer.flush(30) != 0:
        fail("publishing on %s did not finish" % topic)


def now(offset_seconds=0):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset_seconds))


def position(lat, lon, age_seconds):
    publish("hub.vehicles.positions", "V-CC-0001", "vehicle.position",
            {"vehicleId": "V-CC-0001", "fixAt": now(-age_seconds), "lat": lat, "lon": lon, "speedKmh": 60, "heading": 45, "source": "jt808"})


def truck(order_id):
    """The ERP's delivery for the order with CAR-07, its truck registered and assigned, and the truck's first fix,
    until the hub's tracking of the order shows the truck."""
    publish("hub.vehicles", "V-CC-0001", "vehicle.registered", {"vehicleId": "V-CC-0001", "carrierId": "CAR-07", "plate": "沪A·CC001", "terminalId": "013900000001"})
    publish("hub.shipments", "SH-CC-0001", "shipment.created", {
        "shipmentId": "SH-CC-0001", "carrierId": "CAR-07", "orderIds": [order_id], "deliveryNumber": "0080009901", "originWarehouseId": "P1010",
        "destination": {"dealerId": "D100042", "region": {"province": "上海", "city": "上海"}, "position": {"lat": 31.2035, "lon": 121.5914}}})
    publish("hub.shipments", "SH-CC-0001", "shipment.vehicle-assigned",
            {"shipmentId": "SH-CC-0001", "vehicleId": "V-CC-0001", "plate": "沪A·CC001", "driverName": "测试司机", "driverPhone": "13800000001"})
    position(31.3, 121.4, 60)
    deadline = time.time() + WAIT
    while time.time() < deadline:
        _, tracking = api("GET", "/v1/orders/%s/tracking" % order_id, token=DEALER_TOKEN)
        if any(s.get("position") for s in tracking.get("shipments", [])):
            return
        time.sleep(0.5)  # polling the hub's answer; there is nothing to wait on but the answer itself
    fail("the order's tracking never showed the truck: %s" % tracking)


def main():
    dealer = browser()
    staff = browser()
    tier2 = browser()
    try:
        step("a page asked for without a session goes to sign-in, and back to it after")
        dealer.get(BASE + "/orders/new")
        wait_for(dealer, EC.url_contains("/sign-in?next="), "redirected to sign-in")
        shoot(dealer, "sign-in")
        dealer.find_element(By.NAME, "login").send_keys("d1")
        dealer.find_element(By.NAME, "password").send_keys("not the password")
        dealer.find_element(By.CSS_SELECTOR, "#sign-in-form button[type=submit]").click()
        wait_for(dealer, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#sign-in-form .form-error"), "登录名或密码错误"),
                 "a wrong password says so")
        sign_in(dealer, "d1", PASSWORDS["d1"], "/orders/new")

        step("a tier-1 dealer places an order and sees the hub's decision")
        _, before = api("GET", "/v1/orders?limit=200", token=DEALER_TOKEN)
        dealer.find_element(By.NAME, "materialId").send_keys("M-SN5W30-4L")
        quantity = dealer.find_element(By.NAME, "quantity")
        quantity.send_keys("2.12345")
        wait_for(dealer, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-line-error]"), "数量"), "a bad quantity is flagged as it is typed")
        quantity.clear()
        quantity.send_keys("2")
        # A double click: both clicks in one script, before the first one's answer can navigate away (clicking
        # twice from here raced that navigation). The form sends one request under one Idempotency-Key.
        dealer.execute_script("arguments[0].click(); arguments[0].click();", dealer.find_element(By.ID, "place-order"))
        wait_for(dealer, EC.url_matches(r"/orders/O-"), "the order's page after placing it")
        order_id = dealer.current_url.rsplit("/", 1)[1]
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "order-status"), "已接受"), "the decision (accepted) on the order's page")
        _, after = api("GET", "/v1/orders?limit=200", token=DEALER_TOKEN)
        if len(after.get("orders", [])) != len(before.get("orders", [])) + 1:
            fail("two clicks made %d orders, not one" % (len(after.get("orders", [])) - len(before.get("orders", []))))
        shoot(dealer, "order")

        step("a status change arrives without reloading the page")
        dealer.execute_script("window.__notReloaded = true")
        status, _ = api("POST", "/v1/orders/%s/cancel" % order_id, {"reason": "浏览器测试：取消"}, token=DEALER_TOKEN)
        if status not in (200, 202):
            fail("cancelling through the API answered %s" % status)
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "order-status"), "已取消"), "the cancellation shown live")
        if dealer.execute_script("return window.__notReloaded") is not True:
            fail("the page was reloaded")

        step("the dealer's home, orders and catalogue")
        dealer.get(BASE + "/")
        wait_for(dealer, EC.presence_of_element_located((By.ID, "todo")), "the dealer's home")
        shoot(dealer, "dealer-home")
        dealer.get(BASE + "/orders")
        wait_for(dealer, EC.presence_of_element_located((By.CSS_SELECTOR, '#orders tr[data-order="%s"]' % order_id)), "the order in the list")
        shoot(dealer, "orders")
        dealer.get(BASE + "/catalogue")
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "catalogue"), "M-SN5W30-4L"), "the granted material in the catalogue")
        if "M-BULK-HM46" in dealer.find_element(By.ID, "catalogue").text:
            fail("the catalogue shows a material the dealer's groups do not grant")
        shoot(dealer, "catalogue")

        step("a branch manager sees a new order appear on the board, live")
        staff.get(BASE + "/")
        wait_for(staff, EC.url_contains("/sign-in"), "staff sent to sign in")
        sign_in(staff, "bm", PASSWORDS["bm"], "/")
        wait_for(staff, EC.presence_of_element_located((By.CSS_SELECTOR, ".board")), "the board")
        status, placed = api("POST", "/v1/orders", {"dealerId": "D100042", "lines": [{"materialId": "M-SN5W30-4L", "quantity": "1"}]},
                             token=DEALER_TOKEN)
        if status not in (201, 202):
            fail("an order through the API answered %s: %s" % (status, placed))
        wait_for(staff, EC.presence_of_element_located((By.CSS_SELECTOR, '.board li[data-order="%s"]' % placed["orderId"])),
                 "the new order on the board without reload")
        shoot(staff, "board")

        step("the truck on the order's map moves when a new position is applied")
        truck(placed["orderId"])
        dealer.get(BASE + "/orders/" + placed["orderId"])
        wait_for(dealer, EC.presence_of_element_located((By.CSS_SELECTOR, '#map[data-ready="true"] .leaflet-marker-icon')), "the truck's marker on the map")
        wait_for(dealer, EC.presence_of_element_located((By.CSS_SELECTOR, "#map path.leaflet-interactive, #map svg path")), "the provinces' outlines under it")
        shoot(dealer, "order-truck")
        position(31.3105, 121.4120, 0)
        wait_for(dealer, lambda d: d.find_element(By.ID, "map").get_attribute("data-position") == "31.3105,121.412", "the marker at the new position")

        step("the branch manager sees the truck among the trucks on the road; the carrier sees its own shipment, its truck online on the gateway, and locates it now")
        staff.get(BASE + "/shipments")
        wait_for(staff, EC.presence_of_element_located((By.CSS_SELECTOR, '#shipments tr[data-shipment="SH-CC-0001"]')), "the shipment in the staff's list")
        wait_for(staff, EC.presence_of_element_located((By.CSS_SELECTOR, '#trucks-map[data-count="1"] .leaflet-marker-icon')), "the truck on the staff's map")
        shoot(staff, "trucks")
        carrier = browser()
        try:
            carrier.get(BASE + "/")
            sign_in(carrier, "car7", PASSWORDS["car7"], "/")
            wait_for(carrier, EC.presence_of_element_located((By.CSS_SELECTOR, '#shipments tr[data-shipment="SH-CC-0001"]')), "the carrier's own shipment")
            vehicle = carrier.find_element(By.CSS_SELECTOR, '#fleet tr[data-vehicle="V-CC-0001"]').text
            if "SH-CC-0001" not in vehicle or "31." not in vehicle:
                fail("the carrier's vehicle shows its shipment and where it reported last: %s" % vehicle)
            # The truck's terminal connects through the hub's JT/T 808 gateway (an independent Python terminal;
            # imported here: scripts/analytics_screens.py imports this file without a gateway).
            sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "interop"))
            from jt808_terminal import QUERY, Fix, Terminal
            gps = Terminal("127.0.0.1", int(os.environ["GATEWAY_PORT"]), "013900000001")
            result, code = gps.register()
            if result != 0 or gps.authenticate(code) != 0:
                fail("the truck's terminal could not register and authenticate on the gateway (registration answered %d)" % result)
            def online(d):
                gps.heartbeat()
                d.get(BASE + "/shipments")
                return "在线" in d.find_element(By.CSS_SELECTOR, '#fleet tr[data-vehicle="V-CC-0001"]').text
            wait_for(carrier, online, "the truck shown online on the gateway")
            if "1 台终端在线" not in carrier.find_element(By.ID, "terminals-summary").text:
                fail("the trucks' page counts the terminal online: %s" % carrier.find_element(By.ID, "terminals-summary").text)
            carrier.find_element(By.CSS_SELECTOR, '#fleet tr[data-vehicle="V-CC-0001"] .locate-form button').click()
            query = None
            deadline = time.time() + 30
            while query is None and time.time() < deadline:
                try:
                    frame = gps.receive(timeout=max(0.1, deadline - time.time()))
                except OSError:
                    continue
                if frame["id"] == QUERY:
                    query = frame
            if query is None:
                fail("locate now: no position query (0x8201) reached the truck's terminal within 30 s")
            when = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
            if gps.answer_query(query, Fix(31.3111, 121.4125, when)) != 0:
                fail("the terminal's answer to the position query was not answered success")
            wait_for(carrier, EC.text_to_be_present_in_element((By.CSS_SELECTOR, '#fleet tr[data-vehicle="V-CC-0001"] .form-error'), "已向终端发出定位查询"),
                     "the carrier told the query went to the truck")
            shoot(carrier, "carrier")
            def located(d):
                gps.heartbeat()
                d.get(BASE + "/shipments")
                return "31.3111" in d.find_element(By.CSS_SELECTOR, '#fleet tr[data-vehicle="V-CC-0001"]').text
            wait_for(carrier, located, "the truck's answer shown as its position")
            gps.close()
            carrier.get(BASE + "/orders/" + placed["orderId"])
            wait_for(carrier, EC.text_to_be_present_in_element((By.ID, "message"), "未找到"), "a carrier is not shown a dealer's order")
        finally:
            carrier.quit()

        step("a tier-2 dealer opening its tier-1 dealer's order gets 'not found'")
        tier2.get(BASE + "/sign-in")
        sign_in(tier2, "t2", PASSWORDS["t2"], "/")
        tier2.get(BASE + "/orders/" + order_id)
        wait_for(tier2, EC.text_to_be_present_in_element((By.ID, "message"), "未找到"), "not found for another dealer's order")

        step("a tier-1 dealer counts its stock in its books; a tier-2 dealer orders from it, it accepts (the tier-2 dealer sees it live) and delivers, the tier-2 dealer "
             "confirms receipt; it gives a quick-lube centre its own price and sells to it at that price, the centre pays part: the month's books show the margin and what is owed; the sale is a flow the dealer and its branch see")
        dealer.get(BASE + "/ledger")
        wait_for(dealer, EC.presence_of_element_located((By.ID, "book-stock-form")), "the books' forms for the dealer")
        count_form = dealer.find_element(By.ID, "book-stock-form")
        count_form.find_element(By.NAME, "materialId").send_keys("M-SN5W30-4L")
        count_form.find_element(By.NAME, "quantity").send_keys("20")
        count_form.find_element(By.NAME, "unitCost").send_keys("150")
        count_form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "book-documents"), "盘点"), "the count among the books' documents")
        tier2.get(BASE + "/tier2-orders/new")
        wait_for(tier2, EC.presence_of_element_located((By.ID, "tier2-order-form")), "the tier-2 order form")
        tier2.find_element(By.NAME, "materialId").send_keys("M-SN5W30-4L")
        tier2.find_element(By.NAME, "quantity").send_keys("3")
        tier2.find_element(By.ID, "place-tier2-order").click()
        wait_for(tier2, EC.url_matches(r"/tier2-orders/T2-"), "the tier-2 order's page")
        tier2_order = tier2.current_url.rsplit("/", 1)[1]
        wait_for(tier2, EC.text_to_be_present_in_element((By.ID, "tier2-status"), "已提交"), "the tier-2 order submitted")
        wait_for(tier2, lambda d: d.execute_script("return document.body.dataset.liveOpen") == "true", "the tier-2 dealer's page following its updates")
        dealer.get(BASE + "/tier2-orders")
        wait_for(dealer, EC.presence_of_element_located((By.CSS_SELECTOR, '#tier2-orders tr[data-order="%s"]' % tier2_order)), "the tier-2 order among those sent to the tier-1 dealer")
        shoot(dealer, "tier2-orders")
        dealer.get(BASE + "/tier2-orders/" + tier2_order)
        wait_for(dealer, EC.presence_of_element_located((By.ID, "accept-form")), "the accept button for the tier-1 dealer")
        dealer.find_element(By.CSS_SELECTOR, "#accept-form button[type=submit]").click()
        wait_for(dealer, lambda d: d.find_element(By.ID, "tier2-status").text == "已接受" or d.refresh(), "the tier-2 order accepted")
        # The tier-2 dealer's page, open all along, shows the answer live (no reload), with a notice offering the page again.
        wait_for(tier2, lambda d: d.find_element(By.ID, "tier2-status").text == "已接受", "the acceptance on the tier-2 dealer's open page, live")
        wait_for(tier2, EC.presence_of_element_located((By.CSS_SELECTOR, '[data-notice="%s"]' % tier2_order)), "the notice of the tier-2 order's step")
        wait_for(dealer, EC.presence_of_element_located((By.ID, "delivery-note-form")), "the delivery-note form for the tier-1 dealer")
        price = dealer.find_element(By.NAME, "unitPrice")
        price.clear()
        price.send_keys("180")
        dealer.find_element(By.CSS_SELECTOR, "#delivery-note-form button[type=submit]").click()
        wait_for(dealer, lambda d: d.find_element(By.ID, "tier2-status").text == "已送达" or d.refresh(), "the tier-2 order delivered")
        tier2.get(BASE + "/tier2-orders/" + tier2_order)
        wait_for(tier2, EC.presence_of_element_located((By.CSS_SELECTOR, "#tier2-deliveries form button[type=submit]")), "the receipt button for the tier-2 dealer")
        tier2.find_element(By.CSS_SELECTOR, "#tier2-deliveries form button[type=submit]").click()
        wait_for(tier2, lambda d: d.find_element(By.ID, "tier2-status").text == "已收货" or d.refresh(), "the tier-2 order received")
        shoot(tier2, "tier2-order")
        dealer.get(BASE + "/ledger")
        wait_for(dealer, EC.presence_of_element_located((By.ID, "book-sale-form")), "the sale form")
        # The dealer's administrator gives the quick-lube centre its own price; the sale below leaves the price out and takes it.
        prices_form = dealer.find_element(By.ID, "book-prices-form")
        prices_form.find_element(By.NAME, "prices").send_keys("M-SN5W30-4L / 199 / QL-HZ-007")
        prices_form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(dealer, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#book-prices-form .form-error"), "已提交"), "the prices sent")
        wait_for(dealer, lambda d: "QL-HZ-007" in d.find_element(By.ID, "prices").text or d.refresh(), "the centre's price among the selling prices")
        sale_form = dealer.find_element(By.ID, "book-sale-form")
        sale_form.find_element(By.NAME, "customer.customerId").send_keys("QL-HZ-007")
        sale_form.find_element(By.NAME, "customer.name").send_keys("杭州快修七号店")
        Select(sale_form.find_element(By.NAME, "customer.kind")).select_by_value("quick-lube")
        sale_form.find_element(By.NAME, "materialId").send_keys("M-SN5W30-4L")
        sale_form.find_element(By.NAME, "quantity").send_keys("2")
        sale_form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "receivables"), "杭州快修七号店"), "the quick-lube centre among the customers")
        payment_form = dealer.find_element(By.ID, "book-payment-form")
        payment_form.find_element(By.NAME, "customer.customerId").send_keys("QL-HZ-007")
        Select(payment_form.find_element(By.NAME, "customer.kind")).select_by_value("quick-lube")
        payment_form.find_element(By.NAME, "amount").send_keys("100")
        payment_form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "receivables"), "¥298.00"), "398.00 sold less 100.00 paid owed by the centre")
        ledger_text = dealer.find_element(By.ID, "ledger").text
        if "¥938.00" not in ledger_text or "¥188.00" not in ledger_text or "¥2,250.00" not in ledger_text:
            fail("the books show 3 × ¥180.00 + 2 × ¥199.00 = ¥938.00 of sales, 5 × ¥150.00 of cost (margin ¥188.00) and 15 left worth ¥2,250.00: %s"
                 % ledger_text)
        shoot(dealer, "ledger")
        # The sale is a flow (流向) of the dealer: on its flows page, and on its branch manager's.
        dealer.get(BASE + "/flows")
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "flows"), "QL-HZ-007"), "the sale to the quick-lube centre among the dealer's flows")
        shoot(dealer, "flows")
        staff.get(BASE + "/flows?dealerId=D100042")
        wait_for(staff, EC.text_to_be_present_in_element((By.ID, "flows"), "QL-HZ-007"), "the dealer's sale among the branch manager's flows")
        dealer.get(BASE + "/dealers")
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "dealers"), "D2000917"), "the tier-1 dealer's tier-2 dealer in its directory")
        staff.get(BASE + "/dealers?q=D1000")
        wait_for(staff, EC.text_to_be_present_in_element((By.ID, "dealers"), "D100042"), "the dealer in the branch manager's directory")
        shoot(staff, "dealers")
        staff.get(BASE + "/dealers/D100042")
        wait_for(staff, EC.text_to_be_present_in_element((By.ID, "credit-limit"), "¥3,000,000.00"), "the dealer's page with its credit limit")
        shoot(staff, "dealer-page")
        tier2.get(BASE + "/dealers/D100042")
        wait_for(tier2, EC.text_to_be_present_in_element((By.ID, "message"), "未找到"), "a tier-2 dealer does not see its tier-1 dealer's page")

        step("a branch manager adds a sales representative, who gets a one-time password, and disables the account; the audit log shows both")
        staff.get(BASE + "/users")
        wait_for(staff, EC.presence_of_element_located((By.ID, "user-form")), "the users page")
        staff.find_element(By.ID, "new-login").send_keys("rep.cc")
        staff.find_element(By.ID, "new-name").send_keys("测试销售代表")
        staff.find_element(By.CSS_SELECTOR, '#new-role option[value="sales-rep"]').click()
        staff.find_element(By.ID, "new-branch").send_keys("BR-EAST")
        staff.find_element(By.ID, "new-rep").send_keys("REP-CC")
        staff.find_element(By.CSS_SELECTOR, "#user-form button[type=submit]").click()
        wait_for(staff, EC.text_to_be_present_in_element((By.ID, "new-user-password"), "临时密码"), "the one-time password shown once")
        staff.get(BASE + "/users")
        row = wait_for(staff, EC.presence_of_element_located((By.CSS_SELECTOR, '#users tr[data-user="rep.cc"]')), "the new account listed")
        row.find_element(By.CSS_SELECTOR, "form[data-method=PATCH] button").click()
        wait_for(staff, lambda d: "已停用" in d.find_element(By.CSS_SELECTOR, '#users tr[data-user="rep.cc"]').text, "the account disabled")
        shoot(staff, "users")
        admin = browser()
        try:
            admin.get(BASE + "/audit")
            sign_in(admin, "admin", PASSWORDS["admin"], "/audit")
            wait_for(admin, EC.text_to_be_present_in_element((By.ID, "audit"), "user.created"), "the account's creation in the audit log")
            if "status: active → disabled" not in admin.find_element(By.ID, "audit").text:
                fail("the audit log shows the disabling: %s" % admin.find_element(By.ID, "audit").text[:400])
            shoot(admin, "audit")

            step("an administrator sees what a dealer's system sent wrong: the dead letter, its reason and the original message")
            publish_raw("dealer.in.sell-through", "D100042", b'{"dealerId":"D100042","records":"console-check: not a list"}')
            admin.get(BASE + "/operations")
            wait_for(admin, EC.presence_of_element_located((By.ID, "checks")), "the operations page")
            def letter_shown(d):
                # Until the hub has read the letter the page has no list of letters at all: load it again.
                letters = d.find_elements(By.ID, "dead-letters")
                if letters and "console-check: not a list" in (letters[0].get_attribute("textContent") or ""):
                    return True
                d.refresh()
                return False
            wait_for(admin, letter_shown, "the dead letter with its original message")
            if "dealer.dlq" not in admin.find_element(By.ID, "dead-letter-reasons").text:
                fail("the reasons name the dealer adapter's dead-letter topic: %s" % admin.find_element(By.ID, "dead-letter-reasons").text)
            admin.find_element(By.CSS_SELECTOR, "#dead-letters details summary").click()
            shoot(admin, "operations")
        finally:
            admin.quit()

        step("a branch manager changes a warehouse and a permission group; a bad field is named beside it in Chinese; a stale page is told what changed")
        staff.get(BASE + "/warehouses")
        wait_for(staff, EC.presence_of_element_located((By.CSS_SELECTOR, '#warehouses tr[data-warehouse="P1010"]')), "the branch's warehouse listed")
        if staff.find_elements(By.CSS_SELECTOR, '#warehouses tr[data-warehouse="P1090"]'):
            fail("a warehouse of no branch is listed for a branch manager")
        staff.find_element(By.CSS_SELECTOR, '#warehouses tr[data-warehouse="P1010"] a').click()
        name = wait_for(staff, EC.presence_of_element_located((By.ID, "warehouse-name")), "the warehouse's form")
        name.clear()
        staff.find_element(By.CSS_SELECTOR, "#warehouse-form button[type=submit]").click()
        wait_for(staff, EC.text_to_be_present_in_element((By.CSS_SELECTOR, '.field-error[data-for="name"]'), "必填"), "the empty name named beside the field")
        name.send_keys("上海嘉定成品库（一号库）")
        staff.find_element(By.CSS_SELECTOR, "#warehouse-form button[type=submit]").click()
        wait_for(staff, lambda d: d.find_element(By.TAG_NAME, "h1").text == "上海嘉定成品库（一号库）", "the warehouse's new name, applied by the core")
        # A page read before someone else's change: its version is behind the hub's.
        staff.execute_script('document.querySelector("#warehouse-form [name=version]").value = "1"')
        staff.find_element(By.ID, "warehouse-city").send_keys("嘉定")
        staff.find_element(By.CSS_SELECTOR, "#warehouse-form button[type=submit]").click()
        wait_for(staff, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#warehouse-form .form-error"), "已被修改"), "the stale page told what changed")
        staff.get(BASE + "/permission-groups/PG-EAST-AUTO")
        wait_for(staff, EC.presence_of_element_located((By.ID, "group-form")), "the permission group's form")
        Select(staff.find_element(By.ID, "group-flows")).select_by_value("group")
        materials = staff.find_element(By.ID, "group-materials")
        materials.send_keys("\nM-NOT-SOLD")
        staff.find_element(By.CSS_SELECTOR, "#group-form button[type=submit]").click()
        wait_for(staff, EC.text_to_be_present_in_element((By.CSS_SELECTOR, '.field-error[data-for="materialIds"]'), "M-NOT-SOLD 不存在"),
                 "the unknown material named beside the materials")
        if "D100043 不存在" not in staff.find_element(By.CSS_SELECTOR, '.field-error[data-for="dealerIds"]').text:
            fail("the unknown member dealer is named beside the dealers: %s" % staff.find_element(By.CSS_SELECTOR, '.field-error[data-for="dealerIds"]').text)
        # The example group names a material, a warehouse and a dealer the hub was never sent: the manager keeps what is known.
        materials.clear()
        locations = staff.find_element(By.ID, "group-locations")
        locations.clear()
        locations.send_keys("P1010/0001")
        dealers = staff.find_element(By.ID, "group-dealers")
        dealers.clear()
        dealers.send_keys("D100042")
        staff.find_element(By.CSS_SELECTOR, "#group-form button[type=submit]").click()
        wait_for(staff, lambda d: "版本 2" in d.find_element(By.ID, "group-form").text
                 and Select(d.find_element(By.ID, "group-flows")).first_selected_option.get_attribute("value") == "group", "the group's new flows, applied by the core")
        shoot(staff, "permission-group")

        step("a branch manager adds a dealer's contract in the console; a missing volume is named beside it; the dealer's contracted volume follows")
        staff.get(BASE + "/dealers/D100042")
        wait_for(staff, EC.presence_of_element_located((By.ID, "dealer-contracts")), "the dealer's contracts linked from its page")
        staff.find_element(By.ID, "dealer-contracts").click()
        wait_for(staff, EC.presence_of_element_located((By.ID, "new-contract")), "the branch manager may add a contract")
        staff.find_element(By.ID, "new-contract").click()
        wait_for(staff, EC.presence_of_element_located((By.ID, "contract-form")), "the contract's form")
        staff.find_element(By.ID, "contract-id").send_keys("K-CONSOLE-1")
        staff.find_element(By.CSS_SELECTOR, "#contract-form button[type=submit]").click()
        wait_for(staff, lambda d: d.find_element(By.CSS_SELECTOR, '.field-error[data-for="contractedLitres"]').text.strip() != "",
                 "a contract without litres or kilograms named beside the litres")
        staff.find_element(By.ID, "contract-litres").send_keys("12000")
        staff.find_element(By.CSS_SELECTOR, "#contract-form button[type=submit]").click()
        wait_for(staff, EC.presence_of_element_located((By.ID, "contracts")), "back on the dealer's contracts")
        wait_for(staff, lambda d: "K-CONSOLE-1" in d.find_element(By.ID, "contracts").text, "the new contract listed, applied by the core")
        shoot(staff, "contracts")
        staff.get(BASE + "/analytics/dealers/D100042")
        wait_for(staff, lambda d: "12,000 L" in d.find_element(By.ID, "kpis").text, "the dealer's contracted volume this year follows the contract")

        step("a branch manager writes a policy in the form, previews whom it reaches, publishes it; it reaches its dealer: a notice on its open page, live; listed unread, "
             "hostile text shown as text (no script runs), opened it is read, the dealer acknowledges; the manager sees it read and acknowledged")
        staff.get(BASE + "/announcements")
        wait_for(staff, EC.presence_of_element_located((By.ID, "new-announcement")), "a branch manager may publish")
        staff.find_element(By.ID, "new-announcement").click()
        wait_for(staff, EC.presence_of_element_located((By.ID, "announcement-form")), "the announcement's form")
        staff.find_element(By.CSS_SELECTOR, "#announcement-form button[type=submit]").click()
        wait_for(staff, lambda d: d.find_element(By.CSS_SELECTOR, '.field-error[data-for="title"]').text.strip() != "", "a missing title named beside it")
        Select(staff.find_element(By.ID, "announcement-kind")).select_by_value("policy")
        staff.find_element(By.ID, "announcement-title").send_keys("2027 年度返利政策")
        staff.find_element(By.ID, "announcement-body-input").send_keys(
            "**请于 12 月 31 日前阅读并确认。**\n\n- 返利按季度结算\n- 有效订单提报率达 95% 另加 0.5%\n\n"
            "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>")
        staff.find_element(By.ID, "announcement-ack").click()
        staff.find_element(By.ID, "audience-dealers").send_keys("D100042")
        staff.find_element(By.ID, "audience-preview").click()
        wait_for(staff, EC.text_to_be_present_in_element((By.ID, "audience-reach"), "将覆盖 1 家经销商"), "the preview counts the one dealer named")
        shoot(staff, "announcement-form")
        dealer.get(BASE + "/")
        # The dealer's streams of the pages it left close on the server at their next keep-alive (5 s); until then a
        # fifth is refused and the page follows again after 2 s, growing to 10 s.
        try:
            WebDriverWait(dealer, 60, ignored_exceptions=(WebDriverException,)).until(
                lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live-open") == "true")
        except TimeoutException:
            fail("the dealer's home did not follow its live stream within 60 s")
        dealer.execute_script("window.__notReloaded = true")
        staff.find_element(By.CSS_SELECTOR, "#announcement-form button[type=submit]").click()
        wait_for(staff, lambda d: "/announcements/ANN-" in d.current_url, "on the published policy's page")
        announcement = staff.current_url.rstrip("/").split("/")[-1]
        wait_for(dealer, EC.presence_of_element_located((By.CSS_SELECTOR, 'p.notice[data-notice="%s"] a' % announcement)),
                 "the new policy's notice on the dealer's open page, live")
        if dealer.execute_script("return window.__notReloaded") is not True:
            fail("the dealer's page was reloaded to show the notice")
        shoot(dealer, "announcement-notice")
        dealer.get(BASE + "/announcements")
        wait_for(dealer, EC.presence_of_element_located((By.CSS_SELECTOR, 'tr.unread[data-announcement="%s"]' % announcement)), "the policy listed unread")
        shoot(dealer, "announcements")
        dealer.find_element(By.CSS_SELECTOR, 'tr[data-announcement="%s"] a' % announcement).click()
        wait_for(dealer, EC.presence_of_element_located((By.ID, "acknowledge-form")), "the policy asks to be acknowledged")
        shown = dealer.find_element(By.ID, "announcement-body")
        if "<script>" not in shown.text or shown.find_elements(By.CSS_SELECTOR, "script, img") or dealer.title == "pwned":
            fail("the body's markup became elements or ran: %s" % shown.get_attribute("innerHTML")[:300])
        if not shown.find_elements(By.CSS_SELECTOR, "strong") or len(shown.find_elements(By.CSS_SELECTOR, "li")) != 2:
            fail("the body's bold line and its two list items are not shown as such: %s" % shown.get_attribute("innerHTML")[:300])
        shoot(dealer, "announcement")
        dealer.find_element(By.CSS_SELECTOR, "#acknowledge-form button[type=submit]").click()
        wait_for(dealer, lambda d: d.current_url.rstrip("/").endswith("/announcements"), "back to the announcements after acknowledging")

        def counted(d):
            d.get(BASE + "/announcements/" + announcement)
            cells = [cell.text for cell in d.find_elements(By.CSS_SELECTOR, "#readership tbody td")]
            return len(cells) >= 4 and cells[2] == "1" and cells[3] == "1"
        wait_for(staff, counted, "the branch manager sees the policy read and acknowledged once")
        shoot(staff, "announcement-readership")

        step("a branch manager publishes a promotion with a price for one dealer; the dealer's catalogue shows the promotion's price "
             "beside the struck list price, and its order is priced by it, the line naming the promotion")
        staff.get(BASE + "/announcements/new")
        wait_for(staff, EC.presence_of_element_located((By.ID, "announcement-form")), "the announcement's form")
        choose_kind(staff, "announcement-kind", "promotion", "promotion-prices", "a promotion's prices")
        staff.find_element(By.ID, "announcement-title").send_keys("冬季机油促销")
        staff.find_element(By.ID, "announcement-body-input").send_keys("SN 5W-30 4 升装限时优惠。")
        staff.find_element(By.ID, "promotion-prices").send_keys("M-SN5W30-4L/158.00")
        staff.find_element(By.ID, "announcement-links").send_keys("活动细则 | https://example.com/promo/winter")
        staff.find_element(By.ID, "audience-dealers").send_keys("D100042")
        staff.find_element(By.CSS_SELECTOR, "#announcement-form button[type=submit]").click()
        wait_for(staff, lambda d: d.find_element(By.CSS_SELECTOR, '.field-error[data-for="expiresAt"]').text.strip() != "",
                 "a promotion with prices but no end named beside its end")
        ends = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() + 7 * 86400))
        staff.execute_script("arguments[0].value = arguments[1]", staff.find_element(By.ID, "announcement-expires"), ends)
        staff.find_element(By.CSS_SELECTOR, "#announcement-form button[type=submit]").click()
        wait_for(staff, lambda d: "/announcements/ANN-" in d.current_url, "on the published promotion's page")
        promotion = staff.current_url.rstrip("/").split("/")[-1]
        dealer.get(BASE + "/catalogue")
        wait_for(dealer, EC.presence_of_element_located((By.CSS_SELECTOR, '#catalogue a.tag.promo[href="/announcements/%s"]' % promotion)),
                 "the promotion's price tagged in the dealer's catalogue")
        row = dealer.find_element(By.CSS_SELECTOR, '#catalogue a.tag.promo[href="/announcements/%s"]' % promotion).find_element(By.XPATH, "./ancestor::tr")
        if "¥158.00" not in row.text or not row.find_elements(By.CSS_SELECTOR, "s"):
            fail("the catalogue row does not show ¥158.00 with the list price struck: %s" % row.text)
        shoot(dealer, "catalogue-promotion")
        status, placed = api("POST", "/v1/orders", {"lines": [{"materialId": "M-SN5W30-4L", "quantity": "3"}]}, token=DEALER_TOKEN)
        if status != 201 or placed["lines"][0].get("promotionId") != promotion or placed["lines"][0].get("unitPrice") != "158":
            fail("the order was not priced by the promotion: %s %s" % (status, placed))
        dealer.get(BASE + "/orders/" + placed["orderId"])
        wait_for(dealer, EC.presence_of_element_located((By.CSS_SELECTOR, 'a.tag.promo[href="/announcements/%s"]' % promotion)),
                 "the order's line names the promotion that priced it")
        status, _ = api("POST", "/v1/orders/%s/cancel" % placed["orderId"], {"reason": "浏览器测试：取消"}, token=DEALER_TOKEN)
        if status not in (200, 202):
            fail("cancelling the promotion's order answered %s" % status)

        step("a dealer reports a counterfeit package in the form; its branch sees the anti-counterfeit system's flag for the code, "
             "takes the ticket and answers it; the dealer rates the answer and closes it — hostile text shown as text")
        code = "CCFAKE%d" % (time.time_ns() % 10**8)
        publish("hub.authenticity", code, "authenticity.flagged",
                {"code": code, "scanId": "SCAN-" + code, "reason": "counterfeit", "scanRegion": {"province": "江苏", "city": "苏州"}},
                source="adapter-anticounterfeit")
        dealer.get(BASE + "/tickets/new")
        wait_for(dealer, EC.presence_of_element_located((By.ID, "ticket-form")), "the ticket's form")
        choose_kind(dealer, "ticket-kind", "counterfeit-report", "counterfeit-code", "a counterfeit report's code")
        dealer.find_element(By.ID, "ticket-subject").send_keys("疑似假冒 SN 5W-30 <b>")
        dealer.find_element(By.ID, "ticket-body").send_keys("客户在路边店买到，包装印刷模糊。\n<script>document.title='pwned'</script>")
        dealer.find_element(By.ID, "ticket-material").send_keys("M-SN5W30-4L")
        dealer.find_element(By.CSS_SELECTOR, "#ticket-form button[type=submit]").click()
        wait_for(dealer, lambda d: d.find_element(By.CSS_SELECTOR, '.field-error[data-for="counterfeit"]').text.strip() != ""
                 or d.find_element(By.CSS_SELECTOR, '.field-error[data-for="counterfeit.code"]').text.strip() != "", "a report without its code named")
        dealer.find_element(By.ID, "counterfeit-code").send_keys(code)
        dealer.find_element(By.ID, "counterfeit-province").send_keys("江苏")
        dealer.find_element(By.ID, "counterfeit-city").send_keys("苏州")
        dealer.find_element(By.CSS_SELECTOR, "#ticket-form button[type=submit]").click()
        wait_for(dealer, lambda d: "/tickets/TK-" in d.current_url, "on the ticket's page")
        ticket = dealer.current_url.rstrip("/").split("/")[-1]
        body = dealer.find_element(By.ID, "ticket-body")
        if "<script>" not in body.text or body.find_elements(By.CSS_SELECTOR, "script") or dealer.title == "pwned":
            fail("the ticket's text became markup or ran: %s" % body.get_attribute("innerHTML")[:300])
        staff.get(BASE + "/tickets")
        wait_for(staff, EC.presence_of_element_located((By.CSS_SELECTOR, 'tr[data-ticket="%s"]' % ticket)), "the ticket in the branch's queue")
        shoot(staff, "tickets")
        staff.get(BASE + "/tickets/" + ticket)

        def matched(d):
            d.get(BASE + "/tickets/" + ticket)
            return d.find_elements(By.CSS_SELECTOR, '#counterfeit-match[data-match="confirmed"]')
        wait_for(staff, matched, "the anti-counterfeit system's flag for the code shown to staff")
        staff.find_element(By.CSS_SELECTOR, "#assign-form button[type=submit]").click()
        wait_for(staff, EC.text_to_be_present_in_element((By.ID, "ticket-status"), "已分派"), "taken by the branch manager")
        staff.find_element(By.ID, "reply-body").send_keys("经防伪系统核实该码为假冒，已通知打假部门跟进。感谢举报！")
        staff.find_element(By.ID, "reply-answers").click()
        staff.find_element(By.CSS_SELECTOR, "#reply-form button[type=submit]").click()
        wait_for(staff, EC.text_to_be_present_in_element((By.ID, "ticket-status"), "已答复"), "answered")
        shoot(staff, "ticket-staff")
        if "华东分公司经理" not in staff.find_element(By.ID, "ticket-assignee").text:
            fail("the ticket's assignee is shown by name: %s" % staff.find_element(By.ID, "ticket-assignee").text)
        dealer.get(BASE + "/tickets/" + ticket)
        wait_for(dealer, EC.presence_of_element_located((By.ID, "close-rating")), "the dealer may rate the answer")
        if dealer.find_elements(By.ID, "counterfeit-match"):
            fail("the dealer sees the anti-counterfeit system's record")
        if "华东分公司经理" not in dealer.find_element(By.ID, "thread").text:
            fail("the answer is signed with the staff member's name: %s" % dealer.find_element(By.ID, "thread").text[:300])
        shoot(dealer, "ticket")
        Select(dealer.find_element(By.ID, "close-rating")).select_by_value("5")
        dealer.find_element(By.CSS_SELECTOR, "#close-form button[type=submit]").click()
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "ticket-status"), "已关闭"), "closed with the dealer's rating")
        if "★★★★★" not in dealer.find_element(By.ID, "ticket-rating").text:
            fail("the rating is not shown: %s" % dealer.find_element(By.ID, "ticket-rating").text)

        step("a branch manager writes an anonymous survey in the form; the dealer answers it once; the manager sees the response "
             "counted, its groups of one left out, and reads the results through the API with the same session")
        staff.get(BASE + "/surveys/new")
        wait_for(staff, EC.presence_of_element_located((By.ID, "survey-form-new")), "the survey's form")
        staff.find_element(By.ID, "survey-title").send_keys("2026 年第四季度满意度调查")
        staff.find_element(By.ID, "survey-questions").send_keys(
            "评分|您对发货速度满意吗？\n推荐|您向同行推荐我们的可能性有多大？\n多选|明年希望增加哪些产品|全合成机油|液压油|齿轮油\n文本|其他建议")
        staff.find_element(By.ID, "survey-anonymous").click()
        staff.find_element(By.ID, "survey-dealers").send_keys("D100042")
        staff.find_element(By.CSS_SELECTOR, "#survey-form-new button[type=submit]").click()
        wait_for(staff, lambda d: d.find_element(By.CSS_SELECTOR, '.field-error[data-for="closesAt"]').text.strip() != "", "a survey without an end named beside it")
        ends = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() + 7 * 86400))
        staff.execute_script("arguments[0].value = arguments[1]", staff.find_element(By.ID, "survey-closes"), ends)
        staff.find_element(By.CSS_SELECTOR, "#survey-form-new button[type=submit]").click()
        wait_for(staff, lambda d: "/surveys/SV-" in d.current_url, "on the published survey's page")
        survey = staff.current_url.rstrip("/").split("/")[-1]
        dealer.get(BASE + "/surveys")
        wait_for(dealer, EC.presence_of_element_located((By.CSS_SELECTOR, 'tr.unread[data-survey="%s"]' % survey)), "the survey listed to answer")
        dealer.get(BASE + "/surveys/" + survey)
        wait_for(dealer, EC.presence_of_element_located((By.ID, "survey-answer-form")), "the survey's questions")
        dealer.find_element(By.CSS_SELECTOR, "#survey-answer-form button[type=submit]").click()
        wait_for(dealer, lambda d: d.find_element(By.CSS_SELECTOR, '.field-error[data-for="answers.q1"]').text.strip() != "", "an unanswered question named")
        dealer.find_element(By.CSS_SELECTOR, '[data-question="q1"] input[value="4"]').click()
        dealer.find_element(By.CSS_SELECTOR, '[data-question="q2"] input[value="9"]').click()
        dealer.find_element(By.CSS_SELECTOR, '[data-question="q3"] input[value="0"]').click()
        dealer.find_element(By.CSS_SELECTOR, '[data-question="q3"] input[value="2"]').click()
        dealer.find_element(By.CSS_SELECTOR, '[data-question="q4"] textarea').send_keys("希望增加周末配送。")
        shoot(dealer, "survey")
        dealer.find_element(By.CSS_SELECTOR, "#survey-answer-form button[type=submit]").click()
        wait_for(dealer, EC.presence_of_element_located((By.ID, "survey-responded")), "answered: the survey thanks the dealer")

        def counted(d):
            d.get(BASE + "/surveys/" + survey)
            return d.find_element(By.ID, "survey-responses").text.strip() == "1"
        wait_for(staff, counted, "the response counted in the results")
        shoot(staff, "survey-results")
        staff.get(BASE + "/surveys/%s?by=branch" % survey)
        wait_for(staff, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main, body"), "为保护匿名未显示的分组"), "the branch's group of one left out")
        status, _ = api("GET", "/v1/surveys/%s/results" % survey, cookie="lubehub_session=" + staff.get_cookie("lubehub_session")["value"])
        if status != 200:
            fail("the results through the session answered %s" % status)

        step("a sales rep logs a visit on its day page (phone-sized) with an outcome and a next step; its branch manager sees it in the team's week")
        rep = tier2
        rep.delete_all_cookies()
        rep.get(BASE + "/sign-in?next=/activities")
        sign_in(rep, "rep17", PASSWORDS["rep17"], "/activities")
        wait_for(rep, EC.presence_of_element_located((By.ID, "activity-form")), "the rep's form to log an activity")
        form = rep.find_element(By.ID, "activity-form")
        form.find_element(By.NAME, "dealerId").send_keys("D100042")
        Select(form.find_element(By.NAME, "kind")).select_by_value("visit")
        Select(form.find_element(By.NAME, "status")).select_by_value("done")
        form.find_element(By.NAME, "outcome").send_keys("同意试销 20 箱")
        form.find_element(By.NAME, "nextStep.action").send_keys("发试销合同")
        tomorrow = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + 86400))
        rep.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "nextStep.due"), tomorrow)
        form.find_element(By.ID, "log-activity").click()
        wait_for(rep, EC.text_to_be_present_in_element((By.ID, "activities"), "同意试销 20 箱"), "the visit among the rep's latest activities")
        shoot(rep, "activities-rep")
        staff.get(BASE + "/activities")
        wait_for(staff, EC.text_to_be_present_in_element((By.ID, "team-workload"), "张业务"), "the rep in the branch manager's team week")
        rows = [[c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in staff.find_elements(By.CSS_SELECTOR, "#team-workload tbody tr")]
        mine = [r for r in rows if r and r[0] == "张业务"]
        if not mine or mine[0][3] != "1" or mine[0][4] != "1":
            fail("the rep's week shows one activity done with one dealer: %s" % rows)
        shoot(staff, "activities-team")

        step("a branch manager reviews a dealer's risk and warns it; the review is kept with its reason, and the dealer's home shows the note")
        staff.get(BASE + "/risk/D100042")
        wait_for(staff, EC.presence_of_element_located((By.ID, "risk-review-form")), "the risk review form for branch staff")
        form = staff.find_element(By.ID, "risk-review-form")
        Select(form.find_element(By.NAME, "outcome")).select_by_value("warning")
        form.find_element(By.NAME, "reason").send_keys("窜货提醒：请勿跨区销售")
        shoot(staff, "risk-review")
        form.find_element(By.ID, "risk-review-submit").click()
        wait_for(staff, EC.text_to_be_present_in_element((By.ID, "risk-standing"), "窜货提醒：请勿跨区销售"), "the warning standing on the dealer's risk page")
        staff.get(BASE + "/risk?status=all")
        wait_for(staff, EC.presence_of_element_located((By.CSS_SELECTOR, '#risk-list tr[data-dealer="D100042"]')), "the reviewed dealer in the risk list")
        shoot(staff, "risk-list")
        dealer.get(BASE + "/")
        wait_for(dealer, EC.text_to_be_present_in_element((By.ID, "account-standing"), "窜货提醒：请勿跨区销售"), "the branch's note on the dealer's home")

        step("changing something with the session cookie but without the CSRF token is refused")
        cookie = dealer.get_cookie("lubehub_session")
        if not cookie or not cookie.get("httpOnly"):
            fail("the session cookie is missing or readable by scripts: %s" % cookie)
        jar = "lubehub_session=" + cookie["value"]
        status, problem = api("POST", "/v1/orders", {"dealerId": "D100042", "lines": [{"materialId": "M-SN5W30-4L", "quantity": "1"}]}, cookie=jar)
        if status != 403 or "CSRF" not in problem.get("detail", ""):
            fail("a cookie request without the CSRF token answered %s %s" % (status, problem))

        step("signing out ends the session on the server")
        dealer.get(BASE + "/")
        dealer.find_element(By.ID, "sign-out").click()
        wait_for(dealer, EC.url_contains("/sign-in"), "signed out to the sign-in page")
        wait_for(dealer, EC.presence_of_element_located((By.ID, "sign-in-form")), "the sign-in form after signing out")
        status, _ = api("GET", "/v1/me", cookie=jar)
        if status != 401:
            fail("the signed-out session's cookie still answers %s" % status)
        dealer.get(BASE + "/orders")
        wait_for(dealer, EC.url_contains("/sign-in?next=/orders"), "after signing out, pages ask to sign in")

        step("English by choice")
        dealer.get(BASE + "/sign-in?lang=en")
        wait_for(dealer, EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Sign in"), "the English sign-in page")
        dealer.get(BASE + "/sign-in")
        wait_for(dealer, EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Sign in"), "the language choice is kept")
    finally:
        for driver in (dealer, staff, tier2):
            driver.quit()
    print("[console-check] all %d steps passed" % steps, flush=True)


if __name__ == "__main__":
    main()
