public import HubDomain

/// One transaction's change of the figures as one compact value, the form SQLite keeps it in until
/// the fold (`analytics_pending_batches`, ``AnalyticsTable/add(_:)``). Written as rows of 40
/// columns (~80 bytes each, ~600 a transaction) the change cost the core's ingest ~18 % of its rate;
/// as this value, built by appending bytes, ~11 % with nothing folded yet (README, issue 26).
///
/// The layout, every count and index an unsigned LEB128 varint:
/// - the format (1 byte, ``format``);
/// - the strings the keys use (scope ids, product lines, months), each once: their count, then each
///   one's UTF-8 length and bytes;
/// - the rows: their count, then per row its scope (1 byte, its position in ``AnalyticsScope``'s
///   cases), the indexes of its scope id, product line and month in the strings, a mask of its
///   non-zero measures (bit i: ``AnalyticsMeasures/columns``[i]) and each of those measures in
///   order, zigzag-encoded (small negative numbers stay short).
enum PendingFigureBatch {
    static let format: UInt8 = 1

    static func encode(_ change: FigureContributions) -> [UInt8] {
        var strings = StringTable()
        var rows = ByteWriter()
        rows.reserve(change.measures.count * 12)
        rows.varint(UInt64(change.measures.count))
        for (key, measures) in change.measures {
            rows.byte(UInt8(scopes.firstIndex(of: key.scope) ?? 0))
            rows.varint(strings.index(key.scopeId))
            rows.varint(strings.index(key.productLine))
            rows.varint(strings.index(key.month))
            let mask = measures.nonZeroMask
            rows.varint(mask)
            var rest = mask
            while rest != 0 {
                let value = measures[rest.trailingZeroBitCount]
                rest &= rest - 1
                rows.varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
            }
        }
        var bytes = ByteWriter()
        bytes.reserve(strings.written.bytes.count + rows.bytes.count + 8)
        bytes.byte(format)
        bytes.varint(UInt64(strings.count))
        bytes.bytes.append(contentsOf: strings.written.bytes)
        bytes.bytes.append(contentsOf: rows.bytes)
        return bytes.bytes
    }

    /// Calls `row` with each row of a value ``encode(_:)`` wrote; throws `.corrupt` naming what
    /// could not be read (a value of another format, or cut short).
    static func decode(_ bytes: [UInt8], batchId: Int64, _ row: (FigureKey, AnalyticsMeasures) throws(StoreError) -> Void) throws(StoreError) {
        var reader = ByteReader(bytes: bytes, batchId: batchId)
        let found = try reader.byte()
        guard found == format else {
            throw StoreError(.corrupt, "analytics_pending_batches row \(batchId) is of format \(found), which this version cannot read (it writes \(format))")
        }
        let stringCount = try reader.count()
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount { strings.append(try reader.string()) }
        var months = [FigureMonth?](repeating: nil, count: stringCount)
        let measureCount = AnalyticsMeasures.columns.count
        let rowCount = try reader.count()
        for _ in 0..<rowCount {
            let scopeIndex = Int(try reader.byte())
            guard scopeIndex < scopes.count else { throw reader.corrupt("a scope numbered \(scopeIndex)") }
            let scopeId = strings[try reader.index(below: strings.count)]
            let productLine = strings[try reader.index(below: strings.count)]
            // A value has a month or two: each read from its text once, not once per row.
            let monthIndex = try reader.index(below: strings.count)
            let month: FigureMonth
            if let known = months[monthIndex] {
                month = known
            } else {
                guard let read = FigureMonth(text: strings[monthIndex]) else { throw reader.corrupt("the month \"\(strings[monthIndex])\"") }
                months[monthIndex] = read
                month = read
            }
            let mask = try reader.varint()
            guard mask >> UInt64(measureCount) == 0 else { throw reader.corrupt("a measure beyond the \(measureCount) this version counts") }
            var measures = AnalyticsMeasures()
            var rest = mask
            while rest != 0 {
                let zigzag = try reader.varint()
                measures[rest.trailingZeroBitCount] = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
                rest &= rest - 1
            }
            try row(FigureKey(scopes[scopeIndex], scopeId, productLine: productLine, month: month), measures)
        }
    }

    private static let scopes = AnalyticsScope.allCases

    /// Each string once, by the index it was first given.
    private struct StringTable {
        private var indexes: [String: UInt64] = [:]
        /// The months' indexes by month: a change has a month or two, and writing each row's as text
        /// built a string per row (it showed in the profile of the core's ingest).
        private var months: [FigureMonth: UInt64] = [:]
        /// Each string's length and bytes, in the order of their indexes.
        var written = ByteWriter()
        var count: Int { indexes.count }

        mutating func index(_ month: FigureMonth) -> UInt64 {
            if let index = months[month] { return index }
            let index = index(month.text)
            months[month] = index
            return index
        }

        mutating func index(_ text: String) -> UInt64 {
            if let index = indexes[text] { return index }
            let index = UInt64(indexes.count)
            indexes[text] = index
            let utf8 = Array(text.utf8)
            written.varint(UInt64(utf8.count))
            written.bytes.append(contentsOf: utf8)
            return index
        }
    }

    private struct ByteWriter {
        var bytes: [UInt8] = []

        mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }
        mutating func byte(_ value: UInt8) { bytes.append(value) }

        mutating func varint(_ value: UInt64) {
            var rest = value
            while rest >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }
    }

    private struct ByteReader {
        let bytes: [UInt8]
        let batchId: Int64
        var position = 0

        func corrupt(_ what: String) -> StoreError {
            StoreError(.corrupt, "analytics_pending_batches row \(batchId) holds \(what) at byte \(position), which this version cannot read")
        }

        mutating func byte() throws(StoreError) -> UInt8 {
            guard position < bytes.count else { throw corrupt("its end too soon") }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func varint() throws(StoreError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let next = try byte()
                guard shift < 64 else { throw corrupt("a number longer than 64 bits") }
                value |= UInt64(next & 0x7f) << shift
                if next & 0x80 == 0 { return value }
                shift += 7
            }
        }

        /// A count or a length: no more than the bytes left could hold.
        mutating func count() throws(StoreError) -> Int {
            let value = try varint()
            guard value <= UInt64(bytes.count - position) else { throw corrupt("a count of \(value) with \(bytes.count - position) bytes left") }
            return Int(value)
        }

        mutating func string() throws(StoreError) -> String {
            let length = try count()
            defer { position += length }
            return String(decoding: bytes[position..<(position + length)], as: UTF8.self)
        }

        /// An index into the value's `count` strings.
        mutating func index(below count: Int) throws(StoreError) -> Int {
            let index = try varint()
            guard index < UInt64(count) else { throw corrupt("string \(index) of \(count)") }
            return Int(index)
        }
    }
}
