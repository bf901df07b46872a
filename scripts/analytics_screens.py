"""The figures on screen, in headless Chromium, against the hub scripts/analytics-check filled with
a history: the company's dashboard (with its trend chart drawn), a branch manager's dashboard, a
dealer's figures with the orders behind them, the dealer scorecard sorted by a measure. Each step
asserts what a person would see; screenshots to $SCREENSHOTS."""
import os
import sys

os.environ.setdefault("TOKEN_DEALER", "")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console_check as cc  # noqa: E402  (the browser, waits and screenshots of the console check)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402

PERIOD = "from=%s&to=%s" % (os.environ["FROM"], os.environ["TO"])


def main():
    admin = cc.browser()
    manager = cc.browser()
    try:
        cc.step("an administrator's company dashboard: the year's figures, the trend chart, the branches ranked, sales by province")
        admin.get(cc.BASE + "/analytics?" + PERIOD)
        cc.wait_for(admin, EC.url_contains("/sign-in"), "sent to sign in")
        cc.sign_in(admin, "admin", "admin-pass-2026!", "/analytics")
        cc.wait_for(admin, EC.presence_of_element_located((By.CSS_SELECTOR, "#kpis .kpi")), "the headline figures")
        cc.wait_for(admin, lambda d: d.execute_script("return !!(window.Chart && Chart.getChart('trend-chart'))"), "the trend chart drawn")
        if len(admin.find_elements(By.CSS_SELECTOR, "#months tbody tr")) != 12:
            cc.fail("twelve months in the table")
        if "%" not in admin.find_element(By.ID, "kpis").text:
            cc.fail("a fulfilment or valid-order rate shown: %s" % admin.find_element(By.ID, "kpis").text)
        cc.wait_for(admin, EC.presence_of_element_located((By.CSS_SELECTOR, "#branches tbody tr")), "the branches ranked")
        cc.wait_for(admin, EC.presence_of_element_located((By.CSS_SELECTOR, "#regions tbody tr")), "sales by province")
        cc.shoot(admin, "analytics-company")

        cc.step("the dealer scorecard, sorted by fulfilment; a dealer's row leads to its figures and its orders")
        admin.get(cc.BASE + "/scorecards/dealers?" + PERIOD)
        cc.wait_for(admin, EC.presence_of_element_located((By.CSS_SELECTOR, "#scorecard tbody tr")), "the scorecard's rows")
        admin.find_element(By.LINK_TEXT, "履约率").click()
        cc.wait_for(admin, EC.url_contains("sort=fulfilmentRate"), "sorted by fulfilment")
        cc.shoot(admin, "scorecard-dealers")
        admin.find_element(By.CSS_SELECTOR, "#scorecard tbody tr td a").click()
        cc.wait_for(admin, EC.url_contains("/analytics/dealers/"), "the dealer's figures")
        cc.wait_for(admin, EC.presence_of_element_located((By.CSS_SELECTOR, "#lines tbody tr")), "the dealer's product lines")
        cc.shoot(admin, "analytics-dealer")
        admin.find_element(By.LINK_TEXT, "该经销商的订单").click()
        cc.wait_for(admin, EC.presence_of_element_located((By.CSS_SELECTOR, "#orders tbody tr")), "the orders behind the figures")
        dealers = {row.text.split()[1] for row in admin.find_elements(By.CSS_SELECTOR, "#orders tbody tr") if len(row.text.split()) > 1}
        if len(dealers) != 1:
            cc.fail("only the dealer's orders: %s" % sorted(dealers)[:5])

        cc.step("a branch manager's dashboard is its branch's")
        manager.get(cc.BASE + "/sign-in")
        cc.sign_in(manager, "bm", "manager-pass-2026!", "/")
        manager.get(cc.BASE + "/analytics?branch=BR-NORTH&" + PERIOD)
        cc.wait_for(manager, EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "BR-EAST"), "its own branch, whatever the address asks")
    finally:
        admin.quit()
        manager.quit()
    print("[analytics-check] all %d screen steps passed" % cc.steps, flush=True)


if __name__ == "__main__":
    main()
