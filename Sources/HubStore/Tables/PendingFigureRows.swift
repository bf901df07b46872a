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
        // Through the connection's statement cache, unlike a script: parsed once per connection,
        // a no-op on every read after the first.
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS pending_figures (
                batch_id BIGINT NOT NULL, scope TEXT NOT NULL, scope_id TEXT NOT NULL, product_line TEXT NOT NULL, month TEXT NOT NULL,
                \(AnalyticsMeasures.columns.map { "\($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ", ")))
            """)
        // The two statements below find the oldest and newest value held by it: without the index
        // each read scanned the whole table, twice — half of a reader's time while the core ingested
        // at full speed (`lubehub-bench analytics`, reads under ingest).
        try db.execute("CREATE INDEX IF NOT EXISTS temp.pending_figures_by_batch ON pending_figures (batch_id)")
        // The reads ask for a scope (and mostly one id of it) over months (``AnalyticsReadModel``): without this
        // index each read scanned every pending row, and a read's time grew with the rows since the last fold.
        try db.execute("CREATE INDEX IF NOT EXISTS temp.pending_figures_by_key ON pending_figures (scope, scope_id, month)")
        // Folds delete the oldest values first, all of them up to the newest they read; ids never
        // repeat (AUTOINCREMENT): whatever is older than the oldest value left was folded. A fold takes
        // every value there is, so after one this connection's rows were mostly all folded: then they
        // are emptied at once (SQLite clears a table deleted without a condition page by page, not
        // row by row: deleting a few seconds' rows one by one, through two indexes, would be paid by
        // the first read after each fold).
        let id = { (row: SQLRow?) in row.flatMap { $0.isNull(0) ? nil : $0.int64(0) } }
        let oldestLeft = id(try db.first("SELECT MIN(batch_id) FROM main.analytics_pending_batches")) ?? .max
        let newestHeld = id(try db.first("SELECT MAX(batch_id) FROM temp.pending_figures"))
        // The newest value the table holds after the deletion: it keeps its newest unless it emptied.
        var held: Int64 = 0
        if let newestHeld, newestHeld < oldestLeft {
            try db.execute("DELETE FROM temp.pending_figures")
        } else if let newestHeld {
            try db.execute("DELETE FROM temp.pending_figures WHERE batch_id < ?", .integer(oldestLeft))
            held = newestHeld
        }
        let newer = try db.query("SELECT batch_id, rows FROM main.analytics_pending_batches WHERE batch_id > ? ORDER BY batch_id", .integer(held))
        let figures = AnalyticsTable(db: db)
        for batch in newer {
            let batchId = batch.int64(0)
            var rows = FigureContributions()
            try PendingFigureBatch.decode(batch.blob(1) ?? [], batchId: batchId) { key, measures in rows.add(key, measures) }
            try figures.write(rows, trailing: [.integer(batchId)]) { names in
                """
                INSERT INTO temp.pending_figures (\(names.joined(separator: ", ")), \(AnalyticsTable.keyColumns), batch_id)
                VALUES (\(SQLText.placeholders(names.count + 5)))
                """
            }
        }
    }
}
