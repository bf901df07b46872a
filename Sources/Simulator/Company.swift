public import HubContracts

/// A whole company, generated from a seed: the sales branches with their provinces and warehouses,
/// tier-1 and tier-2 dealers with their permission groups, customer classes and credit limits,
/// materials over the three product lines with their list prices, and the stock in each plant.
/// Pure values; ``ERPDocuments`` writes them as the ERP would send them.
public struct Company: Sendable {
    public struct Branch: Sendable, Equatable {
        public var id: String
        public var code: String
        public var name: String
        /// GB/T 2260 province codes (two digits).
        public var provinces: [String]
        /// SAP plants (the hub's warehouse ids) serving the branch.
        public var plants: [String]
    }

    public struct Dealer: Sendable, Equatable {
        /// The SAP customer number (10 digits).
        public var customerNumber: String
        public var name: String
        public var tier: DealerTier
        public var parentCustomerNumber: String?
        public var branch: Int
        public var province: String
        public var city: String
        public var salesRep: String
        /// Customer class per product line (KDGRP): A (best prices) … C.
        public var customerClass: String
        /// Product lines the dealer buys, as SAP distribution channels (10, 20, 30).
        public var channels: [String]
        public var creditLimit: Int

        public var dealerId: String { "D" + String(customerNumber.drop { $0 == "0" }) }
    }

    public struct Material: Sendable, Equatable {
        public var number: String
        public var name: String
        /// The distribution channel of its product line (10 automotive, 20 industrial, 30 bulk).
        public var channel: String
        public var lineCode: String
        public var category: String
        public var grade: String
        public var packageSize: String
        public var unit: String
        /// List price for customer class A; B and C pay more.
        public var basePrice: Int
    }

    public var seed: UInt64
    public var branches: [Branch]
    public var dealers: [Dealer]
    public var materials: [Material]

    public var tier1: [Dealer] { dealers.filter { $0.tier == .tier1 } }
    public var plants: [String] { branches.flatMap(\.plants) }
    public static let customerClasses = ["A", "B", "C"]
    public static let channels = ["10", "20", "30"]

    /// The permission group of a branch, a product line and a customer class, as SAP's three
    /// characters of KVGR1: branch code, line (A automotive, I industrial, B bulk), class — `EAA`.
    public static func groupCode(branch: Branch, channel: String, customerClass: String) -> String {
        branch.code + (channel == "10" ? "A" : channel == "20" ? "I" : "B") + customerClass
    }

    /// The price list of a customer class (`PL-<KDGRP>`, as the ERP adapter names it).
    public static func priceList(customerClass: String) -> String { "PL-" + customerClass }

    /// The price of a material for a customer class, in fen (hundredths of a yuan).
    public static func priceFen(_ material: Material, customerClass: String) -> Int {
        let markup = customerClass == "A" ? 100 : customerClass == "B" ? 104 : 108
        return material.basePrice * markup
    }
}

extension Company {
    public static let branchTable: [(id: String, code: String, name: String, provinces: [String])] = [
        ("BR-EAST", "E", "华东销售分公司", ["31", "32", "33", "34", "35", "36", "37"]),
        ("BR-NORTH", "N", "华北销售分公司", ["11", "12", "13", "14", "15"]),
        ("BR-SOUTH", "S", "华南销售分公司", ["44", "45", "46"]),
        ("BR-CENTRAL", "C", "华中销售分公司", ["41", "42", "43"]),
        ("BR-WEST", "W", "西部销售分公司", ["50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]),
        ("BR-NORTHEAST", "K", "东北销售分公司", ["21", "22", "23"]),
    ]

    static let cities: [String: [String]] = [
        "31": ["上海"], "32": ["南京", "苏州", "无锡", "常州"], "33": ["杭州", "宁波", "温州"], "34": ["合肥", "芜湖"], "35": ["福州", "厦门"],
        "36": ["南昌", "赣州"], "37": ["济南", "青岛", "烟台"], "11": ["北京"], "12": ["天津"], "13": ["石家庄", "唐山", "保定"], "14": ["太原", "大同"],
        "15": ["呼和浩特", "包头"], "44": ["广州", "深圳", "佛山", "东莞"], "45": ["南宁", "柳州"], "46": ["海口", "三亚"], "41": ["郑州", "洛阳"],
        "42": ["武汉", "宜昌"], "43": ["长沙", "株洲"], "50": ["重庆"], "51": ["成都", "绵阳"], "52": ["贵阳", "遵义"], "53": ["昆明", "曲靖"],
        "54": ["拉萨"], "61": ["西安", "宝鸡"], "62": ["兰州"], "63": ["西宁"], "64": ["银川"], "65": ["乌鲁木齐"], "21": ["沈阳", "大连"],
        "22": ["长春", "吉林"], "23": ["哈尔滨", "大庆"],
    ]

    static let grades: [(channel: String, lineCode: String, category: String, grades: [String], sizes: [(String, String)])] = [
        ("10", "PL03", "PCMO", ["SN5W30", "SN5W40", "SP0W20", "SP5W30", "SN10W40", "SL15W40"], [("1 L", "EA"), ("4 L", "EA"), ("18 L", "EA")]),
        ("10", "PL04", "HDEO", ["CI415W40", "CK420W50", "CH415W40"], [("4 L", "EA"), ("18 L", "EA"), ("200 L", "EA")]),
        ("20", "PL05", "HYD", ["HM32", "HM46", "HM68", "HV46"], [("18 L", "EA"), ("200 L", "EA")]),
        ("20", "PL06", "GEAR", ["CKD220", "CKD320", "CKD460"], [("18 L", "EA"), ("200 L", "EA")]),
        ("30", "PL07", "BULK", ["HM46", "CI415W40", "SN5W30"], [("1 T", "TO")]),
    ]

    /// A company of the given size from a seed; the same arguments give the same company.
    public static func generate(seed: UInt64, tier1: Int = 5_000, tier2: Int = 50_000, materials materialCount: Int = 4_200) -> Company {
        let root = SeededRandom(seed: seed)
        var plantNumber = 1010
        let branches = branchTable.map { entry -> Branch in
            let plants = (0..<2).map { _ -> String in
                defer { plantNumber += 10 }
                return "P\(plantNumber)"
            }
            return Branch(id: entry.id, code: entry.code, name: entry.name, provinces: entry.provinces, plants: plants)
        }

        var random = root.fork("materials")
        var materials: [Material] = []
        var index = 0
        while materials.count < materialCount {
            let family = grades[index % grades.count]
            let grade = family.grades[(index / grades.count) % family.grades.count]
            let size = family.sizes[(index / (grades.count * family.grades.count)) % family.sizes.count]
            let variant = index / (grades.count * 3 * 6)
            // The serial keeps every number unique however the families cycle.
            let number = "M-\(grade)-\(size.0.replacingOccurrences(of: " ", with: ""))-\(index)"
            let litres = Int(size.0.split(separator: " ").first.flatMap { Int($0) } ?? 1)
            let base = (size.1 == "TO" ? 9_000 : 20 + litres * 35) + Int.random(in: 0...30, using: &random)
            materials.append(Material(number: number, name: "润滑油 \(grade) \(size.0) #\(variant)", channel: family.channel, lineCode: family.lineCode,
                                      category: family.category, grade: grade, packageSize: size.0, unit: size.1, basePrice: base))
            index += 1
        }

        random = root.fork("dealers")
        var dealers: [Dealer] = []
        dealers.reserveCapacity(tier1 + tier2)
        for number in 0..<tier1 {
            let branchIndex = number % branches.count
            let branch = branches[branchIndex]
            let province = branch.provinces[Int.random(in: 0..<branch.provinces.count, using: &random)]
            let cityList = cities[province] ?? ["市区"]
            let city = cityList[Int.random(in: 0..<cityList.count, using: &random)]
            var channels = ["10"]
            if Int.random(in: 0..<3, using: &random) == 0 { channels.append("20") }
            if Int.random(in: 0..<10, using: &random) == 0 { channels.append("30") }
            dealers.append(Dealer(customerNumber: customerNumber(100_000 + number), name: "\(city)润通汽配\(number)号经销商", tier: .tier1, parentCustomerNumber: nil,
                                  branch: branchIndex, province: province, city: city, salesRep: "REP-\(branch.code)\(number % 40)",
                                  customerClass: customerClasses[Int.random(in: 0..<3, using: &random)], channels: channels,
                                  creditLimit: 200_000 + Int.random(in: 0..<40, using: &random) * 50_000))
        }
        for number in 0..<tier2 {
            let parent = dealers[Int.random(in: 0..<tier1, using: &random)]
            dealers.append(Dealer(customerNumber: customerNumber(2_000_000 + number), name: "\(parent.city)快修\(number)号门店", tier: .tier2,
                                  parentCustomerNumber: parent.customerNumber, branch: parent.branch, province: parent.province, city: parent.city,
                                  salesRep: parent.salesRep, customerClass: "C", channels: ["10"], creditLimit: 0))
        }
        return Company(seed: seed, branches: branches, dealers: dealers, materials: materials)
    }

    static func customerNumber(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }
}
