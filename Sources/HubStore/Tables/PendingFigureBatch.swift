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
        let measureCount = AnalyticsMeasures.columns.count
        for (key, measures) in change.measures {
            rows.byte(UInt8(scopes.firstIndex(of: key.scope) ?? 0))
            rows.varint(strings.index(key.scopeId))
            rows.varint(strings.index(key.productLine))
            rows.varint(strings.index(key.month.text))
            var mask: UInt64 = 0
            for index in 0..<measureCount where measures[index] != 0 { mask |= 1 << UInt64(index) }
            rows.varint(mask)
            for index in 0..<measureCount where measures[index] != 0 {
                let value = measures[index]
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
        let measureCount = AnalyticsMeasures.columns.count
        let rowCount = try reader.count()
        for _ in 0..<rowCount {
            let scopeIndex = Int(try reader.byte())
            guard scopeIndex < scopes.count else { throw reader.corrupt("a scope numbered \(scopeIndex)") }
            let scopeId = try reader.string(in: strings)
            let productLine = try reader.string(in: strings)
            let monthText = try reader.string(in: strings)
            guard let month = FigureMonth(text: monthText) else { throw reader.corrupt("the month \"\(monthText)\"") }
            let mask = try reader.varint()
            guard mask >> UInt64(measureCount) == 0 else { throw reader.corrupt("a measure beyond the \(measureCount) this version counts") }
            var measures = AnalyticsMeasures()
            for index in 0..<measureCount where mask & (1 << UInt64(index)) != 0 {
                let zigzag = try reader.varint()
                measures[index] = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            }
            try row(FigureKey(scopes[scopeIndex], scopeId, productLine: productLine, month: month), measures)
        }
    }

    private static let scopes = AnalyticsScope.allCases

    /// Each string once, by the index it was first given.
    private struct StringTable {
        private var indexes: [String: UInt64] = [:]
        /// Each string's length and bytes, in the order of their indexes.
        var written = ByteWriter()
        var count: Int { indexes.count }

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

        mutating func string(in strings: [String]) throws(StoreError) -> String {
            let index = try varint()
            guard index < UInt64(strings.count) else { throw corrupt("string \(index) of \(strings.count)") }
            return strings[Int(index)]
        }
    }
}
