/// Every topic of the catalogue by name, written once: code names a topic through these constants,
/// never as a literal (a test checks that they and `topics/` list the same topics).
public enum TopicName {
    // Canonical topics: the hub's own language.
    public static let announcements = "hub.announcements"
    public static let announcementReceipts = "hub.announcement-receipts"
    public static let audit = "hub.audit"
    public static let authenticity = "hub.authenticity"
    public static let contracts = "hub.contracts"
    public static let funds = "hub.funds"
    public static let scorecards = "hub.scorecards"
    /// Demand forecasts by product line and province for downstream planning.
    public static let forecasts = "hub.forecasts"
    public static let tickets = "hub.tickets"
    /// Sales reps' and managers' activities with dealers: visits, calls, plans, outcomes, next steps.
    public static let activities = "hub.activities"
    public static let terminalCredentials = "hub.terminal-credentials"
    public static let terminalCommands = "hub.terminal-commands"
    public static let terminalSessions = "hub.terminal-sessions"
    public static let surveys = "hub.surveys"
    public static let surveyResponses = "hub.survey-responses"
    public static let coreDeadLetters = "hub.core.dlq"
    public static let dealers = "hub.dealers"
    public static let deliveryNotes = "hub.delivery-notes"
    /// Tier-1 dealers' own books: sales, returns, counts, payments, settings.
    public static let dealerBooks = "hub.dealer-books"
    /// The ERP's invoices and credit memos to dealers, and their clearing.
    public static let invoices = "hub.invoices"
    /// The ERP's production orders for made-to-order lines.
    public static let production = "hub.production"
    public static let inventoryMovements = "hub.inventory.movements"
    public static let inventorySnapshots = "hub.inventory.snapshots"
    public static let materials = "hub.materials"
    public static let orderCommands = "hub.orders.commands"
    public static let orderEvents = "hub.orders.events"
    public static let orderUpdates = "hub.orders.updates"
    public static let permissionGroups = "hub.permission-groups"
    public static let priceLists = "hub.price-lists"
    public static let sellThrough = "hub.sell-through"
    public static let serviceRecords = "hub.service-records"
    public static let shipments = "hub.shipments"
    public static let tier2Orders = "hub.tier2-orders"
    public static let vehicles = "hub.vehicles"
    public static let vehiclePositions = "hub.vehicles.positions"
    public static let warehouses = "hub.warehouses"

    /// The ERP's native topics (SAP IDoc-XML).
    public enum ERP {
        public static let contracts = "erp.in.contracts"
        public static let creditLimits = "erp.in.credit-limits"
        public static let customers = "erp.in.customers"
        public static let funds = "erp.in.funds"
        public static let deliveries = "erp.in.deliveries"
        public static let materials = "erp.in.materials"
        public static let orderConfirmations = "erp.in.order-confirmations"
        public static let prices = "erp.in.prices"
        public static let stock = "erp.in.stock"
        public static let goodsMovements = "erp.in.goods-movements"
        public static let invoices = "erp.in.invoices"
        public static let productionOrders = "erp.in.production-orders"
        public static let outboundOrders = "erp.out.orders"
        public static let deadLetters = "erp.dlq"
    }

    /// The carriers' native topics (JSON shipment events, JT/T 808 frames).
    public enum Carrier {
        public static let shipmentEvents = "carrier.in.shipment-events"
        public static let jt808 = "carrier.in.jt808"
        public static let deadLetters = "carrier.dlq"
    }

    /// The quick-lube centres' ABS system.
    public enum ABS {
        public static let serviceRecords = "abs.in.service-records"
        public static let serviceBatches = "abs.in.service-batches"
        public static let deadLetters = "abs.dlq"
    }

    /// Dealers' own systems.
    public enum Dealer {
        public static let stockSnapshots = "dealer.in.stock-snapshots"
        public static let sellThrough = "dealer.in.sell-through"
        public static let tier2Orders = "dealer.in.tier2-orders"
        public static let deadLetters = "dealer.dlq"
    }

    /// The anti-counterfeit query system.
    public enum AntiCounterfeit {
        public static let scans = "anticounterfeit.in.scans"
        public static let deadLetters = "anticounterfeit.dlq"
    }

    /// Every name above.
    public static let all: [String] = [
        announcements, announcementReceipts, audit, authenticity, contracts, coreDeadLetters, dealerBooks, dealers, deliveryNotes, funds, invoices, production, inventoryMovements, inventorySnapshots, materials, orderCommands, orderEvents,
        orderUpdates, permissionGroups, priceLists, scorecards, forecasts, sellThrough, tickets, activities, surveys, surveyResponses, serviceRecords, shipments, terminalCommands, terminalCredentials, terminalSessions, tier2Orders, vehicles, vehiclePositions, warehouses,
        ERP.contracts, ERP.creditLimits, ERP.customers, ERP.funds, ERP.deliveries, ERP.materials, ERP.orderConfirmations, ERP.prices, ERP.stock, ERP.goodsMovements, ERP.invoices, ERP.productionOrders, ERP.outboundOrders, ERP.deadLetters,
        Carrier.shipmentEvents, Carrier.jt808, Carrier.deadLetters,
        ABS.serviceRecords, ABS.serviceBatches, ABS.deadLetters,
        Dealer.stockSnapshots, Dealer.sellThrough, Dealer.tier2Orders, Dealer.deadLetters,
        AntiCounterfeit.scans, AntiCounterfeit.deadLetters,
    ]
}
