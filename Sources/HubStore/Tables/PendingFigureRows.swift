import HubDomain

/// The figures' changes not folded yet, as rows a query can add: on SQLite each connection keeps
/// the pending values (``PendingFigureBatch``) decoded in a temporary table of its own,
/// `temp.pending_figures` (the rows of `analytics_figures` and the value each came from), brought
/// up to date at the start of each read — the values folded since dropped, the values appended
/// since decoded — inside the read's own transaction, so the table, the figures and the values
/// are read at one moment: a fold that commits meanwhile is not seen by any of them. Each
/// connection decodes a value once, however many reads follow. PostgreSQL's writers add in place:
/// nothing is pending there.
enum PendingFigureRows {
    static let table = "temp.pending_figures"

    /// Runs `body` with the table of the pending rows (nil on PostgreSQL), in a savepoint (a
    /// transaction of its own outside one) after bringing the table up to date.
    static func reading<R>(_ db: any SQLDatabase, _ body: (String?) throws(StoreError) -> R) throws(StoreError) -> R {
        guard db.dialect == .sqlite else { return try body(nil) }
        try db.executeScript("SAVEPOINT pending_figures")
        do {
            try bringUpToDate(db)
            let result = try body(table)
            try db.executeScript("RELEASE pending_figures")
            return result
        } catch {
            try? db.executeScript("ROLLBACK TO pending_figures; RELEASE pending_figures")
            throw error
        }
    }

    private static func bringUpToDate(_ db: any SQLDatabase) throws(StoreError) {
        let columns = AnalyticsMeasures.columns
        try db.executeScript("""
            CREATE TEMP TABLE IF NOT EXISTS pending_figures (
                batch_id BIGINT NOT NULL, scope TEXT NOT NULL, scope_id TEXT NOT NULL, product_line TEXT NOT NULL, month TEXT NOT NULL,
                \(columns.map { "\($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ", ")))
            """)
        // Folds delete the oldest values first, all of them up to the newest they read; ids never
        // repeat (AUTOINCREMENT): whatever is older than the oldest value left was folded.
        try db.execute("""
            DELETE FROM temp.pending_figures
            WHERE batch_id < COALESCE((SELECT MIN(batch_id) FROM main.analytics_pending_batches), 9223372036854775807)
            """)
        let newer = try db.query("""
            SELECT batch_id, rows FROM main.analytics_pending_batches
            WHERE batch_id > COALESCE((SELECT MAX(batch_id) FROM temp.pending_figures), 0) ORDER BY batch_id
            """)
        var statements: [UInt64: String] = [:]
        for batch in newer {
            let batchId = batch.int64(0)
            try PendingFigureBatch.decode(batch.blob(1) ?? [], batchId: batchId) { key, measures throws(StoreError) in
                var mask: UInt64 = 0
                var values: [SQLValue] = [.integer(batchId)] + AnalyticsTable.keyValues(key)
                for index in columns.indices where measures[index] != 0 {
                    mask |= 1 << UInt64(index)
                    values.append(.integer(measures[index]))
                }
                let sql = statements[mask] ?? {
                    let names = columns.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { columns[$0] }
                    let text = """
                        INSERT INTO temp.pending_figures (batch_id, \(AnalyticsTable.keyColumns)\(names.map { ", " + $0 }.joined()))
                        VALUES (\(SQLText.placeholders(names.count + 5)))
                        """
                    statements[mask] = text
                    return text
                }()
                try db.execute(sql, values)
            }
        }
    }
}
