// LubeHub console: the small script of the server-rendered pages. Forms go to the JSON API with the
// session's CSRF token and show its answers beside the fields; live pages follow /v1/order-updates (orders, and a
// dealer's new announcements).
"use strict";
(function () {
  const body = document.body;
  const csrf = body.dataset.csrf || "";
  const labels = JSON.parse(body.dataset.labels || "{}");
  const zh = (body.dataset.lang || "zh-CN") === "zh-CN";

  function clearErrors(form) {
    form.querySelectorAll(".field-error, .form-error").forEach((el) => { el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  }

  // The API's messages are English (its callers are systems too); a Chinese page says the common ones in
  // Chinese and keeps the original as the element's title.
  const chinese = [
    [/^is required$/, () => "必填。"],
    [/^must not be empty$/, () => "不能为空。"],
    [/^is longer than (\d+) characters$/, (m) => "最多 " + m[1] + " 个字符。"],
    [/^must be an integer from (-?\d+) to (-?\d+)$/, (m) => "须为 " + m[1] + " 到 " + m[2] + " 之间的整数。"],
    [/^must be greater than 0/, () => "须大于 0。"],
    [/^"(.*)" is not a decimal/, (m) => "“" + m[1] + "”不是有效的数字（最多 6 位小数）。"],
    [/^"(.*)" is not an identifier/, (m) => "“" + m[1] + "”不是有效的编号（字母、数字及 . _ : -，最多 64 个字符）。"],
    [/^"(.*)" is not a date/, (m) => "“" + m[1] + "”不是有效日期（yyyy-MM-dd）。"],
    [/^must be a non-empty string of at most (\d+) characters$/, (m) => "不能为空，最多 " + m[1] + " 个字符。"],
    [/^must (?:have|hold) (\d+) to (\d+) items/, (m) => "须有 " + m[1] + " 到 " + m[2] + " 项。"],
    [/^(?:dealer|material|price list|warehouse) (.+) is not known$/, (m) => m[1] + " 不存在。"],
    [/^(.+) is another branch's$/, (m) => m[1] + " 属于其他分公司。"],
    [/^a branch manager's .* own branch's$/, () => "分公司经理只能管理本分公司的数据。"],
    [/^a branch manager's group holds only its branch's dealers$/, () => "分公司经理的权限组只能包含本分公司的经销商。"],
    [/changed since you read it \(version (\d+), now (\d+)\)/, (m) => "该记录在您打开页面后已被修改（版本 " + m[1] + " → " + m[2] + "）。请刷新页面后重新修改。"],
  ];
  function say(message) {
    if (!zh) return message;
    for (const [pattern, write] of chinese) {
      const match = pattern.exec(message);
      if (match) return write(match);
    }
    return message;
  }

  function showIssue(form, issue) {
    const colon = issue.indexOf(":");
    const path = colon > 0 ? issue.slice(0, colon) : "";
    const message = colon > 0 ? issue.slice(colon + 1).trim() : issue;
    // "dealerIds[3]" and "stockLocations[0].warehouseId" are told beside the field they came from.
    const base = path.split(/[.[]/)[0];
    let target = path && (form.querySelector('.field-error[data-for="' + CSS.escape(path) + '"]') ||
                          form.querySelector('.field-error[data-for="' + CSS.escape(base) + '"]'));
    const line = /^lines\[(\d+)\]/.exec(path);
    if (!target && line) target = form.querySelectorAll("[data-line-error]")[Number(line[1])];
    const shown = target && target.dataset.for === base && base !== path ? path + ": " + say(message) : say(message);
    if (target) {
      target.textContent = (target.textContent ? target.textContent + " " : "") + shown;
      target.title = issue;
      const input = form.querySelector('[name="' + CSS.escape(path) + '"]') || form.querySelector('[name="' + CSS.escape(base) + '"]');
      if (input) input.setAttribute("aria-invalid", "true");
      return;
    }
    const general = form.querySelector(".form-error");
    if (general) general.textContent = (general.textContent ? general.textContent + " " : "") + say(issue);
  }

  // A form's JSON: its named fields; in a form with lines (data-lines), each [data-line] row's fields become one
  // object of "lines" (numbered when the form says data-line-numbers). A name with a dot is a nested member
  // ("flows.reach"); data-lists names fields written as ids separated by lines, spaces or commas (an array);
  // data-checks names checkbox groups (the checked values, an array); data-pairs names fields of one object
  // per line ("stockLocations=warehouseId/locationId": "P1010/0001" → {warehouseId, locationId}; keys joined by
  // "|" split at "|"). Fields marked
  // data-path-only go into the address ({name} in data-api), not the body.
  function split(text) { return text.split(/[\s,，、;；]+/).filter(Boolean); }
  // A survey's questions written one per line, "kind|question|option|option…" (kind in Chinese or English):
  // text questions are optional, the others required.
  const questionKinds = { "单选": "single", "多选": "multiple", "评分": "scale", "推荐": "recommend", "文本": "text",
    single: "single", multiple: "multiple", scale: "scale", recommend: "recommend", text: "text" };
  function questionLines(text) {
    return text.split(/\n/).map((line) => line.trim()).filter(Boolean).map((line) => {
      const [kind, question, ...options] = line.split(/[|｜]/).map((part) => part.trim());
      const known = questionKinds[kind] || kind;
      const item = { kind: known, text: question || "" };
      if (options.filter(Boolean).length) item.options = options.filter(Boolean);
      if (known === "text") item.required = false;
      return item;
    });
  }
  // A survey's answers: each [data-question] block's chosen options, score or text.
  function surveyAnswers(form) {
    return Array.from(form.querySelectorAll("[data-question]")).map((block) => {
      const id = block.dataset.question;
      const chosen = Array.from(block.querySelectorAll("input:checked")).map((input) => Number(input.value));
      const text = block.querySelector("textarea");
      switch (block.dataset.kind) {
        case "single": case "multiple": return chosen.length ? { questionId: id, choices: chosen } : null;
        case "scale": case "recommend": return chosen.length ? { questionId: id, score: chosen[0] } : null;
        default: return text && text.value.trim() ? { questionId: id, text: text.value.trim() } : null;
      }
    }).filter(Boolean);
  }
  function formBody(form) {
    if (form.hasAttribute("data-answers")) return { answers: surveyAnswers(form) };
    const questionFields = (form.dataset.questions || "").split(",").filter(Boolean);
    const integers = (form.dataset.integers || "").split(",").filter(Boolean);
    const lists = (form.dataset.lists || "").split(",").filter(Boolean);
    const checks = (form.dataset.checks || "").split(",").filter(Boolean);
    const booleans = (form.dataset.booleans || "").split(",").filter(Boolean);
    const times = (form.dataset.times || "").split(",").filter(Boolean);
    // Keys joined by "|" split each line at "|" (a line holding an address: "细则 | https://…"), else at "/".
    const pairs = {};
    (form.dataset.pairs || "").split(",").filter(Boolean).forEach((spec) => {
      const [name, keys] = spec.split("=");
      const separator = keys.includes("|") ? "|" : "/";
      pairs[name] = { keys: keys.split(separator), separator };
    });
    const result = {};
    checks.forEach((name) => { result[name] = []; });
    const rows = form.hasAttribute("data-lines") ? Array.from(form.querySelectorAll("[data-line]")) : [];
    form.querySelectorAll("input[name], select[name], textarea[name]").forEach((input) => {
      if (rows.some((row) => row.contains(input)) || input.hasAttribute("data-path-only")) return;
      if (input.matches(":disabled")) return;  // as a browser's own submit: a disabled field (or fieldset) sends nothing
      const name = input.name;
      if (checks.includes(name)) { if (input.checked) result[name].push(input.value); return; }
      if (booleans.includes(name)) { result[name] = input.checked; return; }
      // A local date and time (the browser's zone: China's for the company's people), sent as UTC.
      if (times.includes(name)) {
        const when = input.value ? new Date(input.value) : null;
        if (when && !isNaN(when.getTime())) result[name] = when.toISOString().replace(/\.\d{3}Z$/, "Z");
        return;
      }
      if (lists.includes(name)) { result[name] = split(input.value); return; }
      if (questionFields.includes(name)) { result[name] = questionLines(input.value); return; }
      if (pairs[name]) {
        result[name] = input.value.split(/\n/).map((row) => row.trim()).filter(Boolean).map((row) => {
          const object = {};
          const { keys, separator } = pairs[name];
          row.split(separator).forEach((part, index) => { if (part.trim() && keys[index]) object[keys[index]] = part.trim(); });
          return object;
        });
        return;
      }
      const value = input.value.trim();
      if (value === "") return;
      result[name] = integers.includes(name) ? Number(value) : value;
    });
    // A name with dots is a nested member, at any depth ("audience.tiers", "counterfeit.boughtAt.province").
    Object.keys(result).forEach((key) => {
      const path = key.split(".");
      if (path.length < 2) return;
      let object = result;
      path.slice(0, -1).forEach((part) => { object = object[part] = object[part] || {}; });
      object[path[path.length - 1]] = result[key];
      delete result[key];
    });
    if (rows.length) {
      result.lines = rows.map((row, index) => {
        const line = form.hasAttribute("data-line-numbers") ? { lineNo: index + 1 } : {};
        row.querySelectorAll("input[name], select[name]").forEach((input) => {
          const value = input.value.trim();
          if (value !== "") line[input.name] = value;
        });
        return line;
      });
    }
    return result;
  }

  // "{name}" in an address: the form's field of that name, or the answer's member.
  function fill(address, form, answer) {
    return address.replace(/\{(\w+)\}/g, (whole, name) => {
      const field = form.querySelector('[name="' + name + '"]');
      const value = (answer && answer[name]) || (field ? field.value.trim() : "");
      return encodeURIComponent(value);
    });
  }

  async function until(url) {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      try {
        const answer = await fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } });
        if (answer.ok) return;
      } catch (ignored) { /* try again */ }
      await new Promise((resolve) => window.setTimeout(resolve, 500));
    }
  }

  async function submit(event) {
    const form = event.target;
    event.preventDefault();
    clearErrors(form);
    const button = form.querySelector('button[type="submit"]');
    if (button && button.disabled) return;
    if (button) button.disabled = true;
    const method = form.dataset.method || "POST";
    const missing = Array.from(form.querySelectorAll("[data-path-only]")).filter((field) => !field.value.trim());
    if (missing.length) {
      missing.forEach((field) => showIssue(form, field.name + ": is required"));
      if (button) button.disabled = false;
      return;
    }
    const headers = { "X-CSRF-Token": csrf, "Accept": "application/json" };
    let payload;
    if (method !== "DELETE") { headers["Content-Type"] = "application/json"; payload = JSON.stringify(formBody(form)); }
    if (form.dataset.idempotencyKey) headers["Idempotency-Key"] = form.dataset.idempotencyKey;
    try {
      const answer = await fetch(fill(form.dataset.api, form, null), { method: method, headers: headers, body: payload, credentials: "same-origin" });
      let json = {};
      try { json = await answer.json(); } catch (ignored) { json = {}; }
      if (answer.ok) {
        // A value the answer gives once (a one-time password): shown in the form, not navigated away from.
        if (form.dataset.show && json[form.dataset.show]) {
          const result = form.querySelector(".form-result");
          if (result) result.textContent = (form.dataset.showLabel || "") + json[form.dataset.show];
          if (button) button.disabled = false;
          return;
        }
        if (form.dataset.done) {
          const general = form.querySelector(".form-error");
          if (general) { general.classList.add("done"); general.textContent = form.dataset.done; }
        }
        // Taken but not applied yet (202): wait until the hub shows it (data-ready), then go on; or say it is on
        // its way (data-pending) and stay.
        if (answer.status === 202 && form.dataset.ready) await until(fill(form.dataset.ready, form, json));
        else if (answer.status === 202 && form.dataset.pending) {
          const general = form.querySelector(".form-error");
          if (general) { general.classList.add("done"); general.textContent = form.dataset.pending; }
          if (button) button.disabled = false;
          return;
        }
        const next = fill(form.dataset.next || "", form, json);
        if (next) window.location.assign(next);
        return;
      }
      if (answer.status === 429 && form.dataset.locked) {
        showIssue(form, form.dataset.locked.replace("{s}", answer.headers.get("Retry-After") || "60"));
      } else if (answer.status === 401 && form.dataset.wrong) {
        showIssue(form, form.dataset.wrong);
      } else if (answer.status === 401) {
        window.location.assign("/sign-in?next=" + encodeURIComponent(window.location.pathname + window.location.search));
        return;
      } else {
        (json.issues || []).forEach((issue) => showIssue(form, issue));
        if (!(json.issues || []).length) showIssue(form, json.detail || String(answer.status));
      }
    } catch (error) {
      showIssue(form, zh ? "网络错误，请重试。" : "Network error: try again.");
    }
    if (button) button.disabled = false;
  }

  document.querySelectorAll("form.api-form").forEach((form) => form.addEventListener("submit", submit));

  // A form's kind-specific fields (an announcement's prices or materials, a counterfeit report's code): the
  // other kinds' are hidden and disabled, so they send nothing.
  document.querySelectorAll("select[data-kind-switch]").forEach((kind) => {
    const showKind = () => kind.form.querySelectorAll("fieldset[data-kind]").forEach((fieldset) => {
      const mine = fieldset.dataset.kind === kind.value;
      fieldset.hidden = !mine;
      fieldset.disabled = !mine;
    });
    kind.addEventListener("change", showKind);
    showKind();
  });

  // The announcement form's audience preview: how many dealers the audience as filled in reaches.
  const preview = document.getElementById("audience-preview");
  if (preview) {
    preview.addEventListener("click", async () => {
      const form = preview.closest("form");
      const shown = document.getElementById("audience-reach");
      const body = { audience: formBody(form).audience || {} };
      clearErrors(form);
      try {
        const answer = await fetch(preview.dataset.preview, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
          headers: { "X-CSRF-Token": csrf, "Accept": "application/json", "Content-Type": "application/json" } });
        const json = await answer.json();
        if (answer.ok) {
          shown.textContent = preview.dataset.reach.replace("{n}", Number(json.dealers).toLocaleString()).replace("{b}", String((json.branches || []).length));
        } else {
          (json.issues || []).forEach((issue) => showIssue(form, issue));
          shown.textContent = "";
        }
      } catch (error) {
        shown.textContent = zh ? "网络错误，请重试。" : "Network error: try again.";
      }
    });
  }

  // An announcement opened by a dealer's user: it was read (the hub counts the dealer's first read).
  const opened = document.querySelector("[data-mark-read]");
  if (opened) {
    fetch(opened.dataset.markRead, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } })
      .catch(() => { /* read again next time it is opened */ });
  }

  // The order form: lines added and removed; each quantity checked as it is typed.
  const lines = document.getElementById("order-lines");
  if (lines) {
    const template = lines.querySelector("[data-line]").cloneNode(true);
    document.getElementById("add-line").addEventListener("click", () => {
      const row = template.cloneNode(true);
      row.querySelectorAll("input").forEach((input) => { input.value = ""; });
      lines.appendChild(row);
      row.querySelector("input").focus();
    });
    lines.addEventListener("click", (event) => {
      if (event.target.classList.contains("remove-line") && lines.querySelectorAll("[data-line]").length > 1) event.target.closest("[data-line]").remove();
    });
    lines.addEventListener("input", (event) => {
      if (event.target.name !== "quantity") return;
      const error = event.target.closest("[data-line]").querySelector("[data-line-error]");
      const ok = event.target.value === "" || /^[0-9]+(\.[0-9]{1,3})?$/.test(event.target.value) && Number(event.target.value) > 0;
      error.textContent = ok ? "" : (zh ? "数量须为正数，最多三位小数。" : "A positive quantity, at most three decimals.");
      if (ok) event.target.removeAttribute("aria-invalid"); else event.target.setAttribute("aria-invalid", "true");
    });
  }

  // The map: the truck's position and its recent track, without any tile server (works offline).
  let map = null;
  const markers = {};
  function drawMap() {
    const element = document.getElementById("map");
    if (!element || !window.L) return;
    const shipments = JSON.parse(element.dataset.map || "[]");
    map = window.L.map(element, { attributionControl: false });
    // The background: China's province outlines, served by the hub (generated from Debian's GMT data), no tiles.
    fetch("/vendor/map/china-provinces.geojson").then((answer) => answer.ok ? answer.json() : null).then((outlines) => {
      if (outlines) window.L.geoJSON(outlines, { style: { color: "#8a97a6", weight: 1, fill: false }, interactive: false }).addTo(map).bringToBack();
    }).catch(() => { /* no background: the truck and its track still show */ });
    const bounds = [];
    shipments.forEach((shipment) => {
      if (shipment.track && shipment.track.length > 1) window.L.polyline(shipment.track, { color: "#0a5fb4" }).addTo(map);
      markers[shipment.shipmentId] = window.L.marker([shipment.lat, shipment.lon], { title: shipment.plate }).addTo(map);
      bounds.push([shipment.lat, shipment.lon]);
      (shipment.track || []).forEach((point) => bounds.push(point));
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
    element.dataset.ready = "true";
    // Positions arrive far more often than order updates (which carry the truck's place at each ETA round):
    // the order's tracking is read again every few seconds while the page is open.
    const order = document.querySelector(".summary[data-order]");
    if (order) window.setInterval(() => refreshTracking(order.dataset.order), 5000);
  }
  window.addEventListener("load", drawMap);

  // The figures' trend (Chart.js from Debian's libjs-chart.js): bars of taken litres, a line of
  // revenue on its own axis. Without the library the table below says the same.
  function drawTrend() {
    const canvas = document.getElementById("trend-chart");
    if (!canvas || !window.Chart) return;
    let data;
    try { data = JSON.parse(canvas.dataset.chart); } catch (e) { return; }
    const colours = ["#0a5fb4", "#c0392b"];
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: data.series.map((series, index) => ({
          type: index === 0 ? "bar" : "line", label: series.label, data: series.values,
          backgroundColor: index === 0 ? "rgba(10, 95, 180, 0.35)" : colours[1], borderColor: colours[index % 2],
          yAxisID: series.axis === "right" ? "right" : "left", tension: 0.2,
        })),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { left: { position: "left", beginAtZero: true }, right: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } } },
      },
    });
  }
  window.addEventListener("load", drawTrend);

  // The trucks' map: every open shipment's truck, clustered when many, refreshed every 10 s.
  function drawTrucks() {
    const element = document.getElementById("trucks-map");
    if (!element || !window.L) return;
    // No tile layer gives the map a maximum zoom: the clusters need one.
    const trucksMap = window.L.map(element, { attributionControl: false, maxZoom: 14 }).setView([33, 110], 4);
    fetch("/vendor/map/china-provinces.geojson").then((answer) => answer.ok ? answer.json() : null).then((outlines) => {
      if (outlines) window.L.geoJSON(outlines, { style: { color: "#8a97a6", weight: 1, fill: false }, interactive: false }).addTo(trucksMap).bringToBack();
    }).catch(() => { /* no background */ });
    const layer = window.L.markerClusterGroup ? window.L.markerClusterGroup() : window.L.layerGroup();
    layer.addTo(trucksMap);
    function place(trucks) {
      layer.clearLayers();
      trucks.forEach((truck) => {
        const marker = window.L.marker([truck.lat, truck.lon], { title: truck.plate + (truck.dealer ? " → " + truck.dealer : "") });
        marker.bindPopup(document.createTextNode(truck.id + " · " + truck.plate + (truck.dealer ? " → " + truck.dealer : "")));
        layer.addLayer(marker);
        if (truck.late && marker._icon) marker._icon.classList.add("truck-late");
      });
      element.dataset.count = String(trucks.length);
      element.dataset.ready = "true";
    }
    // The trucks come after the page (thousands of them would make it heavy), then every 10 s.
    async function refresh() {
      try {
        const answer = await fetch(element.dataset.refresh, { credentials: "same-origin", headers: { "Accept": "application/json" } });
        if (answer.ok) place((await answer.json()).trucks || []);
      } catch (ignored) { /* the next round tries again */ }
    }
    refresh();
    window.setInterval(refresh, 10000);
  }
  window.addEventListener("load", drawTrucks);

  function moveTruck(shipmentId, lat, lon, plate) {
    const at = [lat, lon];
    if (markers[shipmentId]) markers[shipmentId].setLatLng(at);
    else markers[shipmentId] = window.L.marker(at, { title: plate || "" }).addTo(map);
    document.getElementById("map").dataset.position = at.join(",");
  }

  async function refreshTracking(orderId) {
    try {
      const answer = await fetch("/v1/orders/" + encodeURIComponent(orderId) + "/tracking", { credentials: "same-origin", headers: { "Accept": "application/json" } });
      if (!answer.ok) return;
      const tracking = await answer.json();
      (tracking.shipments || []).forEach((shipment) => {
        if (shipment.position) moveTruck(shipment.shipmentId, shipment.position.lat, shipment.position.lon, shipment.plate);
      });
    } catch (ignored) { /* the next round tries again */ }
  }

  // "Use my position": the phone's position into the form's hidden fields (named by data-geolocate: lat, lon, and
  // where to say what was found), for an activity logged where it happened.
  document.querySelectorAll("[data-geolocate]").forEach((button) => {
    const [latId, lonId, sayId] = button.dataset.geolocate.split(",");
    button.addEventListener("click", () => {
      const say = document.getElementById(sayId);
      if (!navigator.geolocation) { if (say) say.textContent = zh ? "此浏览器不能定位" : "This browser cannot tell its position"; return; }
      navigator.geolocation.getCurrentPosition((position) => {
        document.getElementById(latId).value = position.coords.latitude.toFixed(6);
        document.getElementById(lonId).value = position.coords.longitude.toFixed(6);
        if (say) say.textContent = position.coords.latitude.toFixed(5) + ", " + position.coords.longitude.toFixed(5);
      }, () => { if (say) say.textContent = zh ? "未能取得位置" : "No position"; }, { timeout: 10000, maximumAge: 60000 });
    });
  });

  // Live updates: each order.view changes the order's status wherever the page shows it, moves it on
  // the board, and moves the truck on the map.
  if (body.dataset.live === "true" && window.EventSource) {
    const state = document.getElementById("live-state");
    // The browser reconnects by itself after a dropped connection; an answer that is not a stream (429: the
    // caller's streams from pages just left are not closed yet; 503) makes it give up — then follow again
    // after 2 s, growing to 10 s, from the last event seen, so nothing is missed.
    let lastEventId = "";
    let delay = 2000;
    const follow = () => {
      const source = new EventSource("/v1/order-updates" + (lastEventId ? "?lastEventId=" + encodeURIComponent(lastEventId) : ""));
      source.addEventListener("open", () => { if (state) state.textContent = ""; body.dataset.liveOpen = "true"; delay = 2000; });
      source.addEventListener("error", () => {
        if (state) state.textContent = zh ? "正在重新连接…" : "Reconnecting…";
        if (source.readyState === EventSource.CLOSED) {
          window.setTimeout(follow, delay);
          delay = Math.min(delay * 1.5, 10000);
        }
      });
      source.addEventListener("message", (event) => { if (event.lastEventId) lastEventId = event.lastEventId; });
      // A new announcement that reaches the dealer: a notice at the top of the page, linking to it.
      source.addEventListener("announcement.notice", (event) => {
        if (event.lastEventId) lastEventId = event.lastEventId;
        let notice;
        try { notice = JSON.parse(event.data).data; } catch (ignored) { return; }
        if (!notice || !notice.announcementId || document.querySelector('[data-notice="' + CSS.escape(notice.announcementId) + '"]')) return;
        const bar = document.createElement("p");
        bar.className = "notice";
        bar.setAttribute("role", "status");
        bar.dataset.notice = notice.announcementId;
        const link = document.createElement("a");
        link.href = "/announcements/" + encodeURIComponent(notice.announcementId);
        link.textContent = notice.title;
        bar.append((zh ? "新公告：" : "New announcement: "), link, notice.requiresAcknowledgement ? (zh ? "（需确认）" : " (to acknowledge)") : "");
        const main = document.getElementById("main");
        if (main) main.insertBefore(bar, main.children[1] || null);
      });
      // A tier-2 order's step: its status changes wherever the page shows it; on the order's own page a notice offers
      // the page again, with what can be done now (deliver, receive, cancel).
      source.addEventListener("tier2-order.view", (event) => {
        if (event.lastEventId) lastEventId = event.lastEventId;
        let order;
        try { order = JSON.parse(event.data).data; } catch (ignored) { return; }
        if (!order || !order.orderId) return;
        const label = labels["status." + order.status] || order.status;
        document.querySelectorAll('[data-tier2-status="' + CSS.escape(order.orderId) + '"]').forEach((el) => {
          if (el.textContent === label) return;
          el.textContent = label;
          el.className = "status status-" + order.status + " changed";
          if (el.id !== "tier2-status" || document.querySelector('[data-notice="' + CSS.escape(order.orderId) + '"]')) return;
          const bar = document.createElement("p");
          bar.className = "notice";
          bar.setAttribute("role", "status");
          bar.dataset.notice = order.orderId;
          const link = document.createElement("a");
          link.href = window.location.pathname;
          link.textContent = zh ? "刷新" : "Reload";
          bar.append((zh ? "订单已变为「" : "The order is now \u201c") + label + (zh ? "」。" : "\u201d. "), link);
          const main = document.getElementById("main");
          if (main) main.insertBefore(bar, main.children[1] || null);
        });
      });
      source.addEventListener("order.view", (event) => {
        if (event.lastEventId) lastEventId = event.lastEventId;
        let view;
        try { view = JSON.parse(event.data).data; } catch (ignored) { return; }
        if (!view || !view.orderId) return;
        const label = labels["status." + view.status] || view.status;
        document.querySelectorAll('[data-order-status="' + CSS.escape(view.orderId) + '"]').forEach((el) => {
          if (el.textContent === label) return;
          el.textContent = label;
          el.className = "status status-" + view.status + " changed";
        });
        const column = document.querySelector('[data-column="' + CSS.escape(view.status) + '"] ul');
        if (column) {
          let item = document.querySelector('.board li[data-order="' + CSS.escape(view.orderId) + '"]');
          if (!item) {
            item = document.createElement("li");
            item.dataset.order = view.orderId;
            const link = document.createElement("a");
            link.href = "/orders/" + encodeURIComponent(view.orderId);
            link.textContent = view.orderId;
            const status = document.createElement("span");
            status.dataset.orderStatus = view.orderId;
            status.className = "status status-" + view.status + " changed";
            status.textContent = label;
            item.append(link, " ", view.dealerId || "", document.createElement("br"), status);
          }
          column.prepend(item);
        }
        if (map && document.querySelector('.summary[data-order="' + CSS.escape(view.orderId) + '"]')) {
          (view.shipments || []).forEach((shipment) => {
            if (shipment.position) moveTruck(shipment.shipmentId, shipment.position.lat, shipment.position.lon, shipment.plate);
          });
        }
      });
    };
    follow();
  }
})();
