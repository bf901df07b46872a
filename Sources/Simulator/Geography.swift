import Foundation

/// Where the company's places are: the cities its dealers are in (WGS-84, city centres) and the
/// cities its plants stand in, so trucks drive between real places.
public enum Geography {
    public struct Point: Sendable, Equatable {
        public var lat: Double
        public var lon: Double

        public init(lat: Double, lon: Double) {
            self.lat = lat
            self.lon = lon
        }
    }

    static let cities: [String: Point] = [
        "上海": .init(lat: 31.2304, lon: 121.4737), "南京": .init(lat: 32.0603, lon: 118.7969), "苏州": .init(lat: 31.2990, lon: 120.5853),
        "无锡": .init(lat: 31.4912, lon: 120.3119), "常州": .init(lat: 31.8107, lon: 119.9741), "杭州": .init(lat: 30.2741, lon: 120.1551),
        "宁波": .init(lat: 29.8683, lon: 121.5440), "温州": .init(lat: 27.9943, lon: 120.6994), "合肥": .init(lat: 31.8206, lon: 117.2272),
        "芜湖": .init(lat: 31.3526, lon: 118.4330), "福州": .init(lat: 26.0745, lon: 119.2965), "厦门": .init(lat: 24.4798, lon: 118.0894),
        "南昌": .init(lat: 28.6820, lon: 115.8579), "赣州": .init(lat: 25.8310, lon: 114.9330), "济南": .init(lat: 36.6512, lon: 117.1201),
        "青岛": .init(lat: 36.0671, lon: 120.3826), "烟台": .init(lat: 37.4638, lon: 121.4479), "北京": .init(lat: 39.9042, lon: 116.4074),
        "天津": .init(lat: 39.3434, lon: 117.3616), "石家庄": .init(lat: 38.0428, lon: 114.5149), "唐山": .init(lat: 39.6309, lon: 118.1802),
        "保定": .init(lat: 38.8740, lon: 115.4646), "太原": .init(lat: 37.8706, lon: 112.5489), "大同": .init(lat: 40.0768, lon: 113.3001),
        "呼和浩特": .init(lat: 40.8424, lon: 111.7490), "包头": .init(lat: 40.6574, lon: 109.8403), "广州": .init(lat: 23.1291, lon: 113.2644),
        "深圳": .init(lat: 22.5431, lon: 114.0579), "佛山": .init(lat: 23.0215, lon: 113.1214), "东莞": .init(lat: 23.0207, lon: 113.7518),
        "南宁": .init(lat: 22.8170, lon: 108.3665), "柳州": .init(lat: 24.3264, lon: 109.4281), "海口": .init(lat: 20.0440, lon: 110.1999),
        "三亚": .init(lat: 18.2528, lon: 109.5120), "郑州": .init(lat: 34.7466, lon: 113.6253), "洛阳": .init(lat: 34.6197, lon: 112.4540),
        "武汉": .init(lat: 30.5928, lon: 114.3055), "宜昌": .init(lat: 30.6919, lon: 111.2865), "长沙": .init(lat: 28.2282, lon: 112.9388),
        "株洲": .init(lat: 27.8274, lon: 113.1340), "重庆": .init(lat: 29.5630, lon: 106.5516), "成都": .init(lat: 30.5728, lon: 104.0668),
        "绵阳": .init(lat: 31.4675, lon: 104.6796), "贵阳": .init(lat: 26.6470, lon: 106.6302), "遵义": .init(lat: 27.7254, lon: 106.9274),
        "昆明": .init(lat: 25.0389, lon: 102.7183), "曲靖": .init(lat: 25.4900, lon: 103.7962), "拉萨": .init(lat: 29.6500, lon: 91.1000),
        "西安": .init(lat: 34.3416, lon: 108.9398), "宝鸡": .init(lat: 34.3619, lon: 107.2372), "兰州": .init(lat: 36.0611, lon: 103.8343),
        "西宁": .init(lat: 36.6171, lon: 101.7782), "银川": .init(lat: 38.4872, lon: 106.2309), "乌鲁木齐": .init(lat: 43.8256, lon: 87.6168),
        "沈阳": .init(lat: 41.8057, lon: 123.4315), "大连": .init(lat: 38.9140, lon: 121.6147), "长春": .init(lat: 43.8171, lon: 125.3235),
        "吉林": .init(lat: 43.8378, lon: 126.5496), "哈尔滨": .init(lat: 45.8038, lon: 126.5349), "大庆": .init(lat: 46.5907, lon: 125.1040),
    ]

    /// The city each plant stands in, branch by branch (two plants each, in ``Company/branchTable`` order).
    static let plantCities = ["上海", "南京", "北京", "天津", "广州", "南宁", "武汉", "郑州", "成都", "西安", "沈阳", "哈尔滨"]

    /// A city's centre; an unknown city (a data error) lies in Wuhan, the middle of the country.
    public static func position(ofCity city: String) -> Point {
        cities[city] ?? Point(lat: 30.5928, lon: 114.3055)
    }

    /// A dealer's shop: in its city, a few kilometres from the centre (the same place every run).
    public static func position(ofDealer dealer: Company.Dealer) -> Point {
        let centre = position(ofCity: dealer.city)
        let hash = SeededRandom.stableHash(dealer.customerNumber)
        let dLat = Double(Int(hash & 0xFFFF) - 0x8000) / Double(0x8000) * 0.06
        let dLon = Double(Int(hash >> 16 & 0xFFFF) - 0x8000) / Double(0x8000) * 0.06
        return Point(lat: centre.lat + dLat, lon: centre.lon + dLon)
    }

    /// A plant's position (its city's centre).
    public static func position(ofPlant plant: String, in company: Company) -> Point {
        guard let index = company.plants.firstIndex(of: plant) else { return position(ofCity: "") }
        return position(ofCity: plantCities[index % plantCities.count])
    }

    /// Great-circle distance in kilometres.
    public static func distanceKm(_ a: Point, _ b: Point) -> Double {
        let radians = Double.pi / 180
        let dLat = (b.lat - a.lat) * radians
        let dLon = (b.lon - a.lon) * radians
        let h = sinSquared(dLat / 2) + cos(a.lat * radians) * cos(b.lat * radians) * sinSquared(dLon / 2)
        return 2 * 6371 * asin(min(1, h.squareRoot()))
    }

    /// The compass heading from `a` to `b`, 0–359 degrees.
    public static func heading(_ a: Point, _ b: Point) -> Int {
        let radians = Double.pi / 180
        let y = sin((b.lon - a.lon) * radians) * cos(b.lat * radians)
        let x = cos(a.lat * radians) * sin(b.lat * radians) - sin(a.lat * radians) * cos(b.lat * radians) * cos((b.lon - a.lon) * radians)
        let degrees = Int((atan2(y, x) / radians).rounded())
        return (degrees % 360 + 360) % 360
    }

    private static func sinSquared(_ x: Double) -> Double { sin(x) * sin(x) }
}
