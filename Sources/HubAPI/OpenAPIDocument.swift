import Foundation

/// The OpenAPI 3.1 document of every route, served at `/openapi.json`. Written next to the routes
/// as data; a test calls every operation it lists, so a documented route that does not exist fails.
/// (The tables are `[String: Any]` for JSONSerialization, built once and never changed.)
public enum OpenAPIDocument {
    typealias Object = [String: Any]

    struct Operation {
        var method: String
        var path: String
        var summary: String
        var query: [(String, Object)] = []
        /// Query parameters the route cannot do without.
        var required: Set<String> = []
        var body: Object?
        var success: (code: String, description: String)
        var open = false
        /// Called without credentials (signing in).
        var noCredentials = false
    }

    nonisolated(unsafe) static let id: Object = ["type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"]
    nonisolated(unsafe) static let decimal: Object = ["type": "string", "pattern": "^-?(0|[1-9][0-9]{0,14})(\\.[0-9]{1,6})?$"]
    nonisolated(unsafe) static let timestamp: Object = ["type": "string", "format": "date-time"]
    nonisolated(unsafe) static let date: Object = ["type": "string", "format": "date"]
    nonisolated(unsafe) static let limit: (String, Object) = ("limit", ["type": "integer", "minimum": 1, "maximum": 200])
    nonisolated(unsafe) static let cursor: (String, Object) = ("cursor", ["type": "string", "maxLength": 200])
    nonisolated(unsafe) static let dealerId: (String, Object) = ("dealerId", id)
    nonisolated(unsafe) static let audience: Object = [
        "type": "object",
        "description": "Every dealer when empty; else the dealers matching every list given (any value within one), plus the dealers named.",
        "properties": ["branches": ["type": "array", "items": id], "provinces": ["type": "array", "items": ["type": "string"]],
                       "tiers": ["type": "array", "items": ["type": "string", "enum": ["tier1", "tier2", "key-account", "quick-lube"]]],
                       "productLines": ["type": "array", "items": ["type": "string", "enum": ["automotive-packaged", "industrial-packaged", "bulk"]]],
                       "customerClasses": ["type": "array", "items": ["type": "string"]], "permissionGroups": ["type": "array", "items": id],
                       "dealers": ["type": "array", "items": id]] as Object,
    ]

    /// The names in a path's `{…}` segments, in order.
    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }

    static func object(_ properties: Object, required: [String]) -> Object {
        ["type": "object", "properties": properties, "required": required, "additionalProperties": false]
    }

    static func array(_ items: Object, max: Int) -> Object { ["type": "array", "items": items, "minItems": 1, "maxItems": max] }

    /// An activity's fields, with `extra` and `required` for creating or changing one.
    static func activityBody(required: [String], extra: Object) -> Object {
        var properties: Object = [
            "kind": ["type": "string", "enum": ["visit", "call", "meeting", "training", "complaint-follow-up", "collection"]],
            "status": ["type": "string", "enum": ["planned", "done", "cancelled"]], "plannedFor": timestamp, "doneAt": timestamp,
            "place": object(["lat": ["type": "number", "minimum": -90, "maximum": 90], "lon": ["type": "number", "minimum": -180, "maximum": 180],
                             "name": ["type": "string", "maxLength": 200]], required: ["lat", "lon"]),
            "notes": ["type": "string", "maxLength": 5_000], "outcome": ["type": "string", "maxLength": 2_000],
            "nextStep": ["type": ["object", "null"], "properties": ["action": ["type": "string", "minLength": 1, "maxLength": 500], "due": date],
                         "required": ["action", "due"], "additionalProperties": false],
        ]
        properties.merge(extra) { _, new in new }
        return object(properties, required: required)
    }

    nonisolated(unsafe) static let period: [(String, Object)] = [("from", date), ("to", date), ("format", ["type": "string", "enum": ["json", "csv"]])]

    nonisolated(unsafe) static let operations: [Operation] = [
        Operation(method: "get", path: "/health", summary: "The process answers.", success: ("200", "ok"), open: true),
        Operation(method: "get", path: "/ready", summary: "The broker and the database answer (503 names what does not).", success: ("200", "ready"), open: true),
        Operation(method: "get", path: "/metrics", summary: "Every metric in Prometheus text format.", success: ("200", "metrics"), open: true),
        Operation(method: "get", path: "/openapi.json", summary: "This document.", success: ("200", "the document"), open: true),
        Operation(method: "get", path: "/v1/catalogue", summary: "Materials the dealer's permission groups grant.",
                  query: [dealerId, ("productLine", ["type": "string", "enum": ["automotive-packaged", "industrial-packaged", "bulk"]]), limit, cursor],
                  success: ("200", "a page of materials")),
        Operation(method: "get", path: "/v1/prices", summary: "The dealer's prices for its granted materials.", query: [dealerId, ("materialId", id)],
                  success: ("200", "prices")),
        Operation(method: "get", path: "/v1/stock", summary: "Available stock at the locations the dealer's groups grant.", query: [dealerId, ("materialId", id)],
                  success: ("200", "stock by location")),
        Operation(method: "post", path: "/v1/orders", summary: "Submit an order (spot and made-to-order lines); Idempotency-Key makes retries safe.",
                  body: object([
                      "dealerId": id,
                      "lines": array(object(["lineNo": ["type": "integer", "minimum": 1, "maximum": 999], "materialId": id, "quantity": decimal,
                                             "kind": ["type": "string", "enum": ["spot", "made-to-order"]], "requestedDate": date],
                                            required: ["materialId", "quantity"]), max: 200),
                      "requestedDeliveryDate": date,
                      "deliveryAddress": object(["province": ["type": "string", "maxLength": 40], "city": ["type": "string", "maxLength": 40],
                                                 "address": ["type": "string", "maxLength": 200]], required: ["province"]),
                      "note": ["type": "string", "maxLength": 2000],
                  ], required: ["lines"]),
                  success: ("201", "decided: the order with the core's decision (200 for a replayed Idempotency-Key; 202 when not decided yet)")),
        Operation(method: "get", path: "/v1/orders", summary: "The caller's orders, newest first.",
                  query: [("status", ["type": "string"]), dealerId, ("submittedFrom", timestamp), ("submittedTo", timestamp), limit, cursor],
                  success: ("200", "a page of orders")),
        Operation(method: "get", path: "/v1/orders/{orderId}", summary: "One order: status, lines, ERP number, shipments.", success: ("200", "the order")),
        Operation(method: "get", path: "/v1/orders/{orderId}/tracking", summary: "Each shipment: carrier, plate, driver, times, ETA, late, position, track.",
                  success: ("200", "the order's shipments")),
        Operation(method: "post", path: "/v1/orders/{orderId}/cancel", summary: "Cancel (before dispatch).",
                  body: object(["reason": ["type": "string", "minLength": 1, "maxLength": 200]], required: ["reason"]), success: ("200", "the cancelled order")),
        Operation(method: "post", path: "/v1/orders/{orderId}/receipt", summary: "Confirm receipt of the goods (after dispatch).",
                  body: object(["receivedAt": timestamp.merging(["description": "when the goods came; the server's time counts, a stated time is kept within 15 minutes before it and 1 after"]) { $1 }], required: []), success: ("200", "the received order")),
        Operation(method: "post", path: "/v1/orders/{orderId}/rating", summary: "Rate the order's execution (after confirming receipt).",
                  body: object(["productQuality": ["type": "integer", "minimum": 1, "maximum": 5], "dispatchSpeed": ["type": "integer", "minimum": 1, "maximum": 5],
                                "serviceQuality": ["type": "integer", "minimum": 1, "maximum": 5], "comment": ["type": "string", "maxLength": 2000]],
                               required: ["productQuality", "dispatchSpeed", "serviceQuality"]),
                  success: ("200", "the rated order")),
        Operation(method: "get", path: "/v1/order-updates", summary: "Server-sent events: the caller's order updates, resumable with Last-Event-ID.",
                  query: [("lastEventId", ["type": "string", "pattern": "^[0-9]{1,18}$"])], success: ("200", "text/event-stream")),
        Operation(method: "get", path: "/v1/order-updates/ws", summary: "The same updates over a WebSocket ({\"id\", \"event\"} text messages); ?access_token= allowed.",
                  query: [("lastEventId", ["type": "string", "pattern": "^[0-9]{1,18}$"]), ("access_token", ["type": "string"])],
                  success: ("101", "switching to the WebSocket protocol")),
        Operation(method: "get", path: "/v1/tier2-orders", summary: "Tier-2 orders: a tier-1 dealer's received, a tier-2 dealer's placed, staff's in scope.",
                  query: [("status", ["type": "string", "enum": ["submitted", "accepted", "rejected", "partly-delivered", "delivered", "received", "cancelled"]]), limit, cursor],
                  success: ("200", "a page of tier-2 orders")),
        Operation(method: "post", path: "/v1/tier2-orders", summary: "A tier-2 dealer orders from its tier-1 parent.",
                  body: object(["supplierDealerId": id, "lines": array(object(["materialId": id, "quantity": decimal, "unitPrice": decimal],
                                                                             required: ["materialId", "quantity"]), max: 200)], required: ["lines"]),
                  success: ("202", "submitted")),
        Operation(method: "get", path: "/v1/tier2-orders/{orderId}", summary: "One tier-2 order with its delivery notes.", success: ("200", "the tier-2 order")),
        Operation(method: "post", path: "/v1/tier2-orders/{orderId}/accept", summary: "The tier-1 dealer accepts a submitted tier-2 order.", body: object([:], required: []),
                  success: ("202", "accepted")),
        Operation(method: "post", path: "/v1/tier2-orders/{orderId}/reject", summary: "The tier-1 dealer rejects a tier-2 order nothing was delivered of, with a reason.",
                  body: object(["reason": ["type": "string", "maxLength": 500]], required: ["reason"]), success: ("202", "rejected")),
        Operation(method: "post", path: "/v1/tier2-orders/{orderId}/cancel", summary: "The tier-2 dealer cancels its order before anything is delivered.",
                  body: object(["reason": ["type": "string", "maxLength": 500]], required: []), success: ("202", "cancelled")),
        Operation(method: "post", path: "/v1/tier2-orders/{orderId}/delivery-notes", summary: "The tier-1 dealer serves (part of) the order: a delivery note (出库单) within what is outstanding and in stock.",
                  body: object(["issuedAt": timestamp.merging(["description": "the server's time counts; a stated time is kept within 15 minutes before it and 1 after"]) { $1 }, "lines": array(object(["materialId": id, "quantity": decimal, "unitPrice": decimal.merging(["description": "left out: the order's price"]) { $1 }],
                                                                           required: ["materialId", "quantity"]), max: 200)], required: ["lines"]),
                  success: ("202", "issued")),
        Operation(method: "post", path: "/v1/tier2-orders/{orderId}/delivery-notes/{deliveryNoteId}/receipt", summary: "The tier-2 dealer confirms a delivery note's goods arrived (booked in on its books).",
                  success: ("202", "received")),
        Operation(method: "get", path: "/v1/ledger", summary: "A dealer's books for a period (进销存报表): per material and customer, receivables ageing, totals; CSV with format=csv.",
                  query: [dealerId, ("month", ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"]), ("from", timestamp), ("to", timestamp), ("format", ["type": "string", "enum": ["csv"]])],
                  success: ("200", "the report")),
        Operation(method: "post", path: "/v1/books/entries", summary: "A dealer writes its books: a sale, a customer's return, a return to the company, a stock count or a payment.",
                  body: object(["kind": ["type": "string", "enum": ["sale", "customer-return", "return-to-company", "stock-count", "payment"]],
                                "customer": object(["customerId": id, "name": ["type": "string", "maxLength": 120],
                                                    "kind": ["type": "string", "enum": ["tier2-dealer", "end-customer", "key-account", "quick-lube"]]], required: ["customerId", "kind"]),
                                "lines": array(object(["materialId": id, "quantity": decimal, "unitPrice": decimal, "unitCost": decimal], required: ["materialId", "quantity"]), max: 200),
                                "amount": decimal, "reference": ["type": "string", "maxLength": 60], "at": timestamp], required: ["kind"]),
                  success: ("202", "recorded; booked (or refused with why) by the core")),
        Operation(method: "get", path: "/v1/books/entries", summary: "A dealer's book documents, newest first, booked or refused.",
                  query: [dealerId, ("kind", ["type": "string"]), limit, cursor], success: ("200", "a page of documents")),
        Operation(method: "get", path: "/v1/books/entries/{entryId}", summary: "One book document.", query: [dealerId], success: ("200", "the document")),
        Operation(method: "get", path: "/v1/books/stock", summary: "What a dealer's books hold now: on hand, value and moving-average cost per material.",
                  query: [dealerId], success: ("200", "the stock")),
        Operation(method: "put", path: "/v1/books/settings", summary: "The dealer's administrator allows (or not) negative stock.",
                  body: object(["allowNegativeStock": ["type": "boolean"]], required: ["allowNegativeStock"]), success: ("202", "set")),
        Operation(method: "put", path: "/v1/books/prices",
                  summary: "The dealer's administrator sets selling prices: for a customer, or (no customerId) the list price; a null unitPrice removes one.",
                  body: object(["prices": array(object(["customerId": id, "materialId": id, "unitPrice": ["type": ["string", "null"], "pattern": "^[0-9]{1,10}(\\.[0-9]{1,2})?$"]],
                                                       required: ["materialId"]), max: 200)], required: ["prices"]), success: ("202", "set")),
        Operation(method: "get", path: "/v1/books/prices", summary: "A dealer's selling prices: the list prices and each customer's (or one customer's with customerId).",
                  query: [dealerId, ("customerId", ["type": "string"])], success: ("200", "the prices")),
        Operation(method: "post", path: "/v1/carrier/events", summary: "A carrier's shipment events (carrier.in.shipment-events format), up to 1000.",
                  body: object(["events": array(["type": "object"], max: 1000)], required: ["events"]), success: ("202", "taken")),
        Operation(method: "post", path: "/v1/carrier/positions", summary: "A carrier's vehicle positions, up to 1000.",
                  body: object(["positions": array(object(["vehicleId": id, "time": timestamp, "lat": ["type": "number", "minimum": -90, "maximum": 90],
                                                           "lon": ["type": "number", "minimum": -180, "maximum": 180],
                                                           "speedKmh": ["type": "number", "minimum": 0, "maximum": 400]],
                                                          required: ["vehicleId", "time", "lat", "lon"]), max: 1000)], required: ["positions"]),
                  success: ("202", "taken")),
        Operation(method: "post", path: "/v1/vehicles/{vehicleId}/locate",
                  summary: "Where is this truck now: a position query (JT/T 808 0x8201) through the gateway its terminal is connected to; the answer arrives as a position. The carrier's own vehicles.",
                  success: ("202", "asked")),
        Operation(method: "post", path: "/v1/dealer-system/stock-snapshots",
                  summary: "A dealer's own system: its stock snapshot, as dealer.in.stock-snapshots defines it (its own dealerId only).",
                  body: ["type": "object", "properties": ["dealerId": id, "asOf": ["type": "string"], "lines": ["type": "array"]], "required": ["dealerId", "asOf", "lines"]],
                  success: ("202", "taken")),
        Operation(method: "post", path: "/v1/dealer-system/sell-through",
                  summary: "A dealer's own system: its sell-through records (流向), as dealer.in.sell-through defines them (its own dealerId only).",
                  body: ["type": "object", "properties": ["dealerId": id, "records": ["type": "array"]], "required": ["dealerId", "records"]],
                  success: ("202", "taken")),
        Operation(method: "get", path: "/v1/sell-through",
                  summary: "Flows (流向): sell-through records the caller may see, newest recorded first — a dealer its own and what its groups' flows add; staff in scope.",
                  query: [dealerId, ("materialId", id), ("customerKind", ["type": "string", "enum": ["tier2", "end-customer", "key-account", "quick-lube"]]),
                          ("province", ["type": "string", "minLength": 1, "maxLength": 20]), ("from", timestamp), ("to", timestamp), limit,
                          ("cursor", ["type": "string", "pattern": "^[1-9][0-9]{0,17}$"])],
                  success: ("200", "a page of sell-through records")),
        Operation(method: "get", path: "/v1/dealers", summary: "The dealer directory: the dealers in the caller's scope, by id.",
                  query: [("q", ["type": "string", "maxLength": 60]), ("province", ["type": "string", "maxLength": 20]), ("city", ["type": "string", "maxLength": 40]),
                          ("tier", ["type": "string", "enum": ["tier1", "tier2", "key-account", "quick-lube"]]), ("parentDealerId", id), ("salesRepId", id), ("branchId", id),
                          ("status", ["type": "string", "enum": ["active", "blocked", "inactive"]]), ("groupId", id),
                          ("productLine", id), ("customerClass", ["type": "string", "maxLength": 4]),
                          ("limit", ["type": "integer", "minimum": 1, "maximum": 500]), ("offset", ["type": "integer", "minimum": 0, "maximum": 1_000_000])],
                  success: ("200", "a page of dealers")),
        Operation(method: "get", path: "/v1/dealers/{dealerId}",
                  summary: "A dealer's page: its tier-2 dealers, credit limit, open order value, available credit, last order, orders this month and year.",
                  success: ("200", "the dealer's page")),
        Operation(method: "patch", path: "/v1/dealers/{dealerId}", summary: "Refused (409): the ERP owns the customer master; groups change at /v1/dealers/{dealerId}/groups.",
                  body: ["type": "object"], success: ("409", "refused with the reason")),
        Operation(method: "get", path: "/v1/dealers/{dealerId}/groups", summary: "A dealer's permission groups, and which of them the ERP's customer master gives.",
                  success: ("200", "the dealer's groups")),
        Operation(method: "put", path: "/v1/dealers/{dealerId}/groups",
                  summary: "Make the dealer a member of exactly these groups: each group touched is published on hub.permission-groups, applied by the core, audited.",
                  body: object(["groupIds": ["type": "array", "items": id, "maxItems": 100]], required: ["groupIds"]),
                  success: ("200", "the dealer's groups, as applied")),
        Operation(method: "get", path: "/v1/permission-groups", summary: "The permission groups the caller administers: id, name, version.",
                  success: ("200", "the groups")),
        Operation(method: "get", path: "/v1/permission-groups/{groupId}", summary: "One permission group: dealers, catalogue, price list, stock locations, flows, version.",
                  success: ("200", "the group")),
        Operation(method: "put", path: "/v1/permission-groups/{groupId}",
                  summary: "Create or change a permission group (version read, 0 for new): published on hub.permission-groups, applied by the core, audited.",
                  body: object(["version": ["type": "integer", "minimum": 0], "name": ["type": "string", "minLength": 1, "maxLength": 120],
                                "dealerIds": ["type": "array", "items": id, "maxItems": 60000],
                                "productLines": ["type": "array", "items": ["type": "string", "enum": ["automotive-packaged", "industrial-packaged", "bulk"]], "maxItems": 10],
                                "materialIds": ["type": "array", "items": id, "maxItems": 5000], "priceListId": id,
                                "stockLocations": ["type": "array", "maxItems": 200, "items": object(["warehouseId": id, "locationId": id], required: ["warehouseId"])],
                                "flows": object(["reach": ["type": "string", "enum": ["own", "own-and-tier2", "group"]]], required: ["reach"])],
                               required: ["version", "name", "priceListId"]),
                  success: ("200", "applied (202 while the core has not applied it yet)")),
        Operation(method: "get", path: "/v1/warehouses/{warehouseId}", summary: "One warehouse with its version.", success: ("200", "the warehouse")),
        Operation(method: "put", path: "/v1/warehouses/{warehouseId}", summary: "Create or change a warehouse (version read, 0 for new), through hub.warehouses.",
                  body: object(["version": ["type": "integer", "minimum": 0], "name": ["type": "string", "minLength": 1, "maxLength": 120], "plantId": id,
                                "branchId": id, "province": ["type": "string", "minLength": 1, "maxLength": 20], "city": ["type": "string", "maxLength": 40]],
                               required: ["version", "name", "plantId", "province"]),
                  success: ("200", "applied (202 while the core has not applied it yet)")),
        Operation(method: "post", path: "/v1/session", summary: "Sign in (a person): sets the session cookie; answers who and the CSRF token a cookie change must echo.",
                  body: object(["login": ["type": "string", "minLength": 1, "maxLength": 64], "password": ["type": "string", "minLength": 1, "maxLength": 128]],
                               required: ["login", "password"]),
                  success: ("200", "signed in"), noCredentials: true),
        Operation(method: "delete", path: "/v1/session", summary: "Sign out: the session ends server-side and the cookie is cleared.", success: ("204", "signed out")),
        Operation(method: "get", path: "/v1/me", summary: "Who the caller is, how it proved it, its scope, its rights and the roles it may grant.", success: ("200", "the caller")),
        Operation(method: "post", path: "/v1/me/password", summary: "A signed-in user changes its password; its other sessions end.",
                  body: object(["currentPassword": ["type": "string", "minLength": 1, "maxLength": 128], "newPassword": ["type": "string", "minLength": 10, "maxLength": 128]],
                               required: ["currentPassword", "newPassword"]),
                  success: ("204", "changed")),
        Operation(method: "get", path: "/v1/users", summary: "The accounts in the caller's reach, by login.",
                  query: [("role", ["type": "string"]), ("status", ["type": "string", "enum": ["active", "disabled"]]), dealerId,
                          ("q", ["type": "string", "maxLength": 64]), ("limit", ["type": "integer", "minimum": 1, "maximum": 500]),
                          ("offset", ["type": "integer", "minimum": 0, "maximum": 1_000_000])],
                  success: ("200", "a page of accounts")),
        Operation(method: "post", path: "/v1/users", summary: "Create an account (a temporary password is answered once when none is given).",
                  body: object(userFields.merging(["login": ["type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$"],
                                                   "password": ["type": "string", "minLength": 10, "maxLength": 128]]) { $1 },
                               required: ["login", "displayName", "role"]),
                  success: ("201", "created")),
        Operation(method: "get", path: "/v1/users/{userId}", summary: "One account.", success: ("200", "the account")),
        Operation(method: "patch", path: "/v1/users/{userId}", summary: "Change an account (name, role, scope, status) at the version read.",
                  body: object(userFields.merging(["version": ["type": "integer", "minimum": 1],
                                                   "status": ["type": "string", "enum": ["active", "disabled"]]]) { $1 }, required: ["version"]),
                  success: ("200", "the changed account")),
        Operation(method: "delete", path: "/v1/users/{userId}", summary: "Delete an account at the version read.",
                  query: [("version", ["type": "integer", "minimum": 1])], required: ["version"], success: ("204", "deleted")),
        Operation(method: "post", path: "/v1/users/{userId}/password-reset", summary: "A temporary password, answered once; sessions end; a change is due at next sign-in.",
                  success: ("200", "the temporary password")),
        Operation(method: "get", path: "/v1/audit", summary: "Administrative changes, newest first (administrators).",
                  query: [("subjectKind", ["type": "string", "maxLength": 40]), ("subjectId", id), ("before", ["type": "integer", "minimum": 1]),
                          ("limit", ["type": "integer", "minimum": 1, "maximum": 500])],
                  success: ("200", "a page of audit entries")),
        Operation(method: "get", path: "/v1/contracts", summary: "A dealer's quantity contracts (签约量) with their versions.", query: [dealerId],
                  success: ("200", "the contracts")),
        Operation(method: "get", path: "/v1/contracts/{contractId}", summary: "One quantity contract with its version.", success: ("200", "the contract")),
        Operation(method: "put", path: "/v1/contracts/{contractId}",
                  summary: "Create or adjust a quantity contract (version read, 0 for new): published on hub.contracts, applied by the core, audited; the figures follow.",
                  body: object(["version": ["type": "integer", "minimum": 0], "dealerId": id,
                                "productLine": ["type": "string", "enum": ["automotive-packaged", "industrial-packaged", "bulk"]], "validFrom": date, "validTo": date,
                                "contractedLitres": decimal, "contractedKilograms": decimal, "status": ["type": "string", "enum": ["active", "cancelled"]]],
                               required: ["version", "dealerId", "productLine", "validFrom", "validTo"]),
                  success: ("200", "applied (202 while the core has not applied it yet)")),
        Operation(method: "get", path: "/v1/announcements",
                  summary: "Announcements (R5): a dealer those in force that reach it, with read and acknowledged (unread=true: only those); staff those of their reach, with state.",
                  query: [limit, ("offset", ["type": "integer", "minimum": 0, "maximum": 1_000_000]), ("unread", ["type": "boolean"])],
                  success: ("200", "a page of announcements")),
        Operation(method: "post", path: "/v1/announcements",
                  summary: "Publish an announcement (policy, brand, promotion, new product) to an audience: on hub.announcements, kept by the core, audited.",
                  body: object(["kind": ["type": "string", "enum": ["policy", "brand", "promotion", "new-product"]], "title": ["type": "string", "minLength": 1, "maxLength": 120],
                                "body": ["type": "string", "maxLength": 20_000], "links": ["type": "array", "maxItems": 20],
                                "attachments": ["type": "array", "maxItems": 20], "publishAt": timestamp, "expiresAt": timestamp, "audience": audience,
                                "requiresAcknowledgement": ["type": "boolean"], "promotionPrices": ["type": "array", "maxItems": 500],
                                "materialIds": ["type": "array", "maxItems": 200, "items": id]],
                               required: ["kind", "title", "body"]),
                  success: ("201", "published (202 while the core has not applied it yet)")),
        Operation(method: "post", path: "/v1/announcements/audience-preview", summary: "How many dealers an audience reaches, per branch, in the caller's scope.",
                  body: object(["audience": audience], required: []), success: ("200", "the dealers reached")),
        Operation(method: "get", path: "/v1/announcements/{announcementId}", summary: "One announcement, as the list shows it.", success: ("200", "the announcement")),
        Operation(method: "put", path: "/v1/announcements/{announcementId}",
                  summary: "Change an announcement: the whole of it again at the version read, published one version higher (a withdrawn one is published again).",
                  body: object(["version": ["type": "integer", "minimum": 1], "kind": ["type": "string", "enum": ["policy", "brand", "promotion", "new-product"]],
                                "title": ["type": "string", "minLength": 1, "maxLength": 120], "body": ["type": "string", "maxLength": 20_000],
                                "publishAt": timestamp, "expiresAt": timestamp, "audience": audience, "requiresAcknowledgement": ["type": "boolean"]],
                               required: ["version", "kind", "title", "body"]),
                  success: ("200", "changed (202 while the core has not applied it yet)")),
        Operation(method: "post", path: "/v1/announcements/{announcementId}/withdraw", summary: "Withdraw an announcement before it expires (a reason is kept).",
                  body: object(["reason": ["type": "string", "maxLength": 200]], required: []), success: ("200", "withdrawn (202 while the core has not applied it yet)")),
        Operation(method: "post", path: "/v1/announcements/{announcementId}/read", summary: "A dealer's user opened it: on hub.announcement-receipts; the dealer's first read counts.",
                  success: ("202", "taken")),
        Operation(method: "post", path: "/v1/announcements/{announcementId}/acknowledge", summary: "A dealer's user acknowledges a policy that asks for it (a read too).",
                  success: ("202", "taken")),
        Operation(method: "get", path: "/v1/tickets",
                  summary: "Tickets (R6) in the caller's scope, the most recently changed first, with the counts by status and overdue.",
                  query: [limit, ("cursor", id), ("status", ["type": "string", "maxLength": 100]),
                          ("kind", ["type": "string", "enum": ["suggestion", "complaint", "product-demand", "counterfeit-report"]]),
                          ("overdue", ["type": "boolean"]), dealerId],
                  success: ("200", "a page of tickets")),
        Operation(method: "post", path: "/v1/tickets",
                  summary: "Open a ticket: a suggestion, complaint, product-demand request or counterfeit report (with the code on the package). On hub.tickets; at most 10 per dealer an hour.",
                  body: object(["dealerId": id, "kind": ["type": "string", "enum": ["suggestion", "complaint", "product-demand", "counterfeit-report"]],
                                "subject": ["type": "string", "minLength": 1, "maxLength": 200], "body": ["type": "string", "minLength": 1, "maxLength": 5_000],
                                "productLine": ["type": "string", "enum": ["automotive-packaged", "industrial-packaged", "bulk"]], "materialId": id, "orderId": id,
                                "counterfeit": object(["code": ["type": "string", "pattern": "^[0-9A-Za-z-]{6,64}$"],
                                                       "boughtAt": object(["province": ["type": "string", "minLength": 1, "maxLength": 40],
                                                                           "city": ["type": "string", "maxLength": 40], "address": ["type": "string", "maxLength": 200]],
                                                                          required: ["province"]),
                                                       "boughtOn": date, "photoReference": ["type": "string", "maxLength": 500]], required: ["code"])],
                               required: ["kind", "subject", "body"]),
                  success: ("201", "opened (202 while the core has not applied it yet)")),
        Operation(method: "get", path: "/v1/activities",
                  summary: "The sales force's activities with dealers, newest first: a sales rep its own, managers everyone's with their dealers.",
                  query: [limit, ("ownerId", id), dealerId, ("status", ["type": "string", "enum": ["planned", "done", "cancelled"]]), ("from", date), ("to", date)],
                  success: ("200", "the activities")),
        Operation(method: "post", path: "/v1/activities",
                  summary: "Record an activity with a dealer (planned or done): where, notes, outcome, next step. On hub.activities.",
                  body: activityBody(required: ["dealerId", "kind", "status"], extra: ["dealerId": id]),
                  success: ("201", "recorded (202 while the core has not applied it yet)")),
        Operation(method: "get", path: "/v1/activities/workload",
                  summary: "Per person: planned, done of the plan, done, dealers contacted, next steps overdue, own dealers not contacted for quietDays.",
                  query: [("from", date), ("to", date), ("quietDays", ["type": "integer", "minimum": 1, "maximum": 365])], success: ("200", "the workload")),
        Operation(method: "get", path: "/v1/activities/performance",
                  summary: "Why (no) performance: a sales rep's dealers' contracted and taken volume, fulfilment and growth beside the activities done with each in the same months.",
                  query: [("salesRepId", id)] + period, success: ("200", "the rep's dealers")),
        Operation(method: "get", path: "/v1/activities/{activityId}", summary: "One activity.", success: ("200", "the activity")),
        Operation(method: "get", path: "/v1/dealers/at-risk",
                  summary: "The dealers in scope at risk of being lost (gone quiet, orders falling) with the evidence and this month's follow-up for their rep.",
                  success: ("200", "the dealers at risk")),
        Operation(method: "get", path: "/v1/risk/dealers",
                  summary: "Risky customers in scope: each flag the data raises (cross-region, counterfeit, cancellations, overdue-invoices) with its evidence, and where the dealer stands after its reviews.",
                  query: [("status", ["type": "string", "enum": ["flagged", "reviewed", "held", "all"]])], success: ("200", "the dealers")),
        Operation(method: "get", path: "/v1/risk/dealers/{dealerId}",
                  summary: "One dealer's flags, the evidence counted and its reviews; the dealer itself reads its standing (outcome, reason) only.",
                  success: ("200", "the dealer's risk")),
        Operation(method: "post", path: "/v1/risk/dealers/{dealerId}/reviews",
                  summary: "Branch staff decide: no-action, warning, credit-hold, blocked, or released (lifts a hold or block). A held or blocked dealer's new orders are refused with the reason. On hub.dealers; audited.",
                  body: object(["outcome": ["type": "string", "enum": ["no-action", "warning", "credit-hold", "blocked", "released"]],
                                "reason": ["type": "string", "minLength": 1, "maxLength": 500]], required: ["outcome", "reason"]),
                  success: ("201", "decided (202 while the core has not applied it yet)")),
        Operation(method: "put", path: "/v1/activities/{activityId}",
                  summary: "Its owner changes an activity (version: the one read): a plan carried out, an outcome, a next step (null clears it).",
                  body: activityBody(required: ["version"], extra: ["version": ["type": "integer", "minimum": 1, "maximum": 1_000_000]]),
                  success: ("200", "changed (202 while the core has not applied it yet)")),
        Operation(method: "get", path: "/v1/tickets/figures", summary: "Per branch, the tickets opened in a period: answered, mean first-response hours, overdue now, ratings.",
                  query: [("from", date), ("to", date)], success: ("200", "the figures")),
        Operation(method: "get", path: "/v1/tickets/{ticketId}", summary: "One ticket with its thread; for staff, a counterfeit report's match against the anti-counterfeit system.",
                  success: ("200", "the ticket")),
        Operation(method: "post", path: "/v1/tickets/{ticketId}/assign", summary: "Take a ticket, or give it to someone (assignee; default the caller).",
                  body: object(["assignee": id], required: []), success: ("200", "assigned (202 while the core has not applied it yet)")),
        Operation(method: "post", path: "/v1/tickets/{ticketId}/messages", summary: "Write in the ticket's thread; staff's message with answers=true is the answer.",
                  body: object(["body": ["type": "string", "minLength": 1, "maxLength": 5_000], "answers": ["type": "boolean"]], required: ["body"]),
                  success: ("200", "written (202 while the core has not applied it yet)")),
        Operation(method: "post", path: "/v1/tickets/{ticketId}/close", summary: "Close a ticket: the dealer rating the answer (1–5), or staff an answered one.",
                  body: object(["rating": ["type": "integer", "minimum": 1, "maximum": 5], "comment": ["type": "string", "maxLength": 2_000]], required: []),
                  success: ("200", "closed (202 while the core has not applied it yet)")),
        Operation(method: "post", path: "/v1/tickets/{ticketId}/reopen", summary: "Reopen a closed ticket within 14 days of closing, saying why.",
                  body: object(["reason": ["type": "string", "minLength": 1, "maxLength": 2_000]], required: ["reason"]),
                  success: ("200", "reopened (202 while the core has not applied it yet)")),
        Operation(method: "get", path: "/v1/surveys", summary: "Surveys (R6): a dealer those open that reach it, with responded; staff those of their reach.",
                  success: ("200", "the surveys")),
        Operation(method: "post", path: "/v1/surveys",
                  summary: "Publish a satisfaction or product-demand survey to an audience: questions (single, multiple, scale 1–5, recommend 0–10, text), window, per dealer or per user, anonymous or not.",
                  body: object(["kind": ["type": "string", "enum": ["satisfaction", "product-demand"]], "title": ["type": "string", "minLength": 1, "maxLength": 120],
                                "intro": ["type": "string", "maxLength": 2_000],
                                "questions": ["type": "array", "minItems": 1, "maxItems": 50,
                                              "items": object(["kind": ["type": "string", "enum": ["single", "multiple", "scale", "recommend", "text"]],
                                                               "text": ["type": "string", "minLength": 1, "maxLength": 500],
                                                               "options": ["type": "array", "maxItems": 20, "items": ["type": "string", "maxLength": 200]],
                                                               "required": ["type": "boolean"]], required: ["kind", "text"])],
                                "audience": audience, "opensAt": timestamp, "closesAt": timestamp, "perUser": ["type": "boolean"], "anonymous": ["type": "boolean"]],
                               required: ["kind", "title", "questions", "closesAt"]),
                  success: ("201", "published (202 while the core has not applied it yet)")),
        Operation(method: "get", path: "/v1/surveys/{surveyId}", summary: "One survey with its questions.", success: ("200", "the survey")),
        Operation(method: "post", path: "/v1/surveys/{surveyId}/responses", summary: "Answer a survey, once per dealer (or user): on hub.survey-responses.",
                  body: object(["answers": ["type": "array", "maxItems": 50,
                                            "items": object(["questionId": ["type": "string", "maxLength": 20],
                                                             "choices": ["type": "array", "maxItems": 20, "items": ["type": "integer", "minimum": 0, "maximum": 19]],
                                                             "score": ["type": "integer", "minimum": 0, "maximum": 10], "text": ["type": "string", "maxLength": 2_000]],
                                                            required: ["questionId"])]], required: ["answers"]),
                  success: ("202", "taken")),
        Operation(method: "get", path: "/v1/surveys/{surveyId}/response", summary: "Whether the caller's response is kept (404 until the core has it).",
                  success: ("200", "kept")),
        Operation(method: "post", path: "/v1/surveys/{surveyId}/close", summary: "Close a survey before its time.", success: ("200", "closed (202 while the core has not applied it yet)")),
        Operation(method: "get", path: "/v1/surveys/{surveyId}/results",
                  summary: "The results grouped by all, branch, tier or product line (an anonymous survey's groups of fewer than 3 left out); CSV with format=csv.",
                  query: [("by", ["type": "string", "enum": ["all", "branch", "tier", "product-line"]]), ("format", ["type": "string", "enum": ["json", "csv"]])],
                  success: ("200", "the results")),
        Operation(method: "get", path: "/v1/announcements/{announcementId}/readership",
                  summary: "How far it was read: dealers reached, read and acknowledged, per branch, among those in the caller's scope.", success: ("200", "the counts")),
        Operation(method: "get", path: "/v1/analytics/dealers/{dealerId}",
                  summary: """
                      A dealer's figures over whole months (default: this year): contracted and taken volume, fulfilmentRate, orders and validOrderRate, \
                      revenue, cost, grossMargin, fund budget, use and remaining, contribution and shareOfCompanyMargin, ratings; a year before; \
                      by product line and by month. CSV with format=csv.
                      """,
                  query: period, success: ("200", "the dealer's figures")),
        Operation(method: "get", path: "/v1/analytics/branches/{branchId}", summary: "A branch's figures, as a dealer's.", query: period,
                  success: ("200", "the branch's figures")),
        Operation(method: "get", path: "/v1/analytics/company", summary: "The company's figures, as a dealer's.", query: period,
                  success: ("200", "the company's figures")),
        Operation(method: "get", path: "/v1/forecasts",
                  summary: """
                      Next quarter's and next year's sales volume by product line (the company's), product line × province or product line × dealer, \
                      from the last 36 whole months (season and trend), each series with its backtest against the same months a year before \
                      (MAPE, bias) and the summary per product line. CSV with format=csv.
                      """,
                  query: [("by", ["type": "string", "enum": ["product-line", "province", "dealer"]]), ("productLine", id), ("format", ["type": "string", "enum": ["csv"]])],
                  success: ("200", "the forecast")),
        Operation(method: "get", path: "/v1/scorecards/{kind}",
                  summary: """
                      A scorecard (dealers, plants, branches, sales-reps, carriers): each row's measures, weighted score and rank, its figures, \
                      shareOfCompanyMargin and contributionRank. CSV with format=csv. The dealers' one by customerKind (tier1, tier2, \
                      key-account, quick-lube), ranked among that kind; each dealer's row names its kind.
                      """,
                  query: period + [("sort", ["type": "string", "maxLength": 40]), ("order", ["type": "string", "enum": ["asc", "desc"]]),
                                   ("customerKind", ["type": "string", "enum": ["tier1", "tier2", "key-account", "quick-lube"]]),
                                   ("limit", ["type": "integer", "minimum": 1, "maximum": 1000]), ("offset", ["type": "integer", "minimum": 0]),
                                   ("weights", ["type": "string", "maxLength": 300])],
                  success: ("200", "the scorecard")),
    ]

    /// An account's editable fields.
    nonisolated(unsafe) static let userFields: Object = [
        "displayName": ["type": "string", "minLength": 1, "maxLength": 60],
        "role": ["type": "string", "enum": ["admin", "branch-manager", "area-manager", "product-line-manager", "sales-rep", "dealer", "carrier"]],
        "dealerId": id, "dealerAdmin": ["type": "boolean"], "branchId": id,
        "provinces": ["type": "array", "items": ["type": "string", "minLength": 1, "maxLength": 20], "maxItems": 40],
        "productLines": ["type": "array", "items": ["type": "string", "minLength": 1, "maxLength": 40], "maxItems": 40],
        "salesRepId": id, "carrierId": id,
    ]

    /// Every documented (method, path), for the test that calls them.
    public static var routes: [(method: String, path: String)] { operations.map { ($0.method, $0.path) } }

    static func document() -> Object {
        let problem: Object = ["description": "a problem (RFC 9457)", "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]]
        var paths: [String: Object] = [:]
        for operation in operations {
            var parameters: [Object] = operation.query.map { ["name": $0.0, "in": "query", "required": operation.required.contains($0.0), "schema": $0.1] }
            // Every `{name}` of the path, declared: an id, except a scorecard's kind.
            for name in pathParameters(operation.path) {
                let schema: Object = name == "kind" ? ["type": "string", "enum": ["dealers", "plants", "branches", "sales-reps", "carriers"]] : id
                parameters.append(["name": name, "in": "path", "required": true, "schema": schema])
            }
            if ["/v1/orders", "/v1/tier2-orders"].contains(operation.path) && operation.method == "post" {
                parameters.append(["name": "Idempotency-Key", "in": "header", "required": false, "schema": ["type": "string", "minLength": 1, "maxLength": 200],
                                   "description": """
                                       Optional. The same key with the same request (after a lost answer, a timeout or a 503) answers the \
                                       order it made, once (200, Idempotent-Replayed: true); the same key with another request is 422 naming \
                                       the key. Without a key every request makes a new order.
                                       """])
            }
            var responses: Object = [operation.success.code: ["description": operation.success.description]]
            if !operation.open {
                for code in ["400", "401", "403", "404", "409", "413", "422", "503"] where code != operation.success.code { responses[code] = problem }
                if operation.method == "put" || operation.success.description.contains("202 while") {
                    responses["202"] = ["description": "taken; the core has not applied it yet"]
                }
                if operation.path == "/v1/tickets" && operation.method == "post" {
                    responses["429"] = problem  // the dealer opened its hour's tickets already
                }
                if operation.path == "/v1/session" && operation.method == "post" {
                    responses["429"] = problem  // too many failed sign-ins for the login or the address
                }
                if operation.path.hasPrefix("/v1/order-updates") {
                    responses["410"] = problem  // Last-Event-ID older than the replay window
                    responses["429"] = problem  // the caller's (or the hub's) live streams are at their bound
                }
            } else if operation.path == "/ready" {
                responses["503"] = ["description": "not ready"]
            }
            var entry: Object = ["summary": operation.summary, "operationId": "\(operation.method)\(operation.path)".replacingOccurrences(of: "/", with: "_"),
                                 "parameters": parameters, "responses": responses]
            if let body = operation.body { entry["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]] }
            if operation.open || operation.noCredentials { entry["security"] = [Object]() }
            paths[operation.path, default: [:]][operation.method] = entry
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "LubeHub API", "version": "1",
                     "description": "Dealers order and track, carriers report, subscribers follow; every read scoped by the caller's permission groups."],
            "paths": paths,
            "security": [["bearer": [String]()], ["apiKey": [String]()], ["session": [String]()]],
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"],
                                    "apiKey": ["type": "apiKey", "in": "header", "name": "X-API-Key"],
                                    "session": ["type": "apiKey", "in": "cookie", "name": "lubehub_session",
                                                "description": "From POST /v1/session; a change made with it carries X-CSRF-Token"]],
                "schemas": ["Problem": ["type": "object", "required": ["title", "status", "detail"],
                                        "properties": ["type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
                                                       "detail": ["type": "string"], "instance": ["type": "string"],
                                                       "issues": ["type": "array", "items": ["type": "string"]]]]],
            ],
        ]
    }

    static let json: String = {
        let data = (try? JSONSerialization.data(withJSONObject: document(), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }()
}
