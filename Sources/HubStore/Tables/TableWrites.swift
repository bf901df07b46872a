/// The two write shapes the master-data tables share, written once.
enum TableWrites {
    /// `INSERT … ON CONFLICT (key) DO UPDATE SET` every other column: one row replaced in place.
    /// `insertingOnly` columns are written when the row is new and left alone when it exists.
    static func upsert(_ table: String, key: [String], columns: KeyValuePairs<String, SQLValue>,
                       updating more: KeyValuePairs<String, SQLValue> = [:], insertingOnly: KeyValuePairs<String, SQLValue> = [:],
                       in db: any SQLDatabase) throws(StoreError) {
        let updated = columns.map(\.key) + more.map(\.key)
        let names = updated + insertingOnly.map(\.key)
        let updates = updated.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let conflict = updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET \(updates)"
        try db.execute("INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(SQLText.placeholders(names.count))) ON CONFLICT (\(key.joined(separator: ", "))) \(conflict)",
                       columns.map(\.value) + more.map(\.value) + insertingOnly.map(\.value))
    }

    /// Replaces the child rows of one parent.
    static func replace(_ table: String, key: String, value: String, rows: [[String]], columns: [String], in db: any SQLDatabase) throws(StoreError) {
        try db.execute("DELETE FROM \(table) WHERE \(key) = ?", .text(value))
        let insert = "INSERT INTO \(table) (\(key), \(columns.joined(separator: ", "))) VALUES (\(SQLText.placeholders(columns.count + 1))) ON CONFLICT DO NOTHING"
        for row in rows {
            try db.execute(insert, [.text(value)] + row.map(SQLValue.text))
        }
    }
}
