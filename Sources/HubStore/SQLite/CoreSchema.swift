/// The core's SQLite schema, as migrations.
public enum CoreSchema {
    public static let migrations = SQLiteMigrations([
        .init(version: 1, summary: "consumer offsets, applied events, outbox, vehicle positions", sql: """
            CREATE TABLE consumer_offsets (
                group_id TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
                PRIMARY KEY (group_id, topic, partition)) WITHOUT ROWID;
            CREATE TABLE applied_events (
                event_id TEXT PRIMARY KEY, topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, message_key TEXT NOT NULL, event_id TEXT NOT NULL,
                value BLOB, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), sent_at TEXT);
            CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
            CREATE TABLE vehicle_latest_position (
                vehicle_id TEXT PRIMARY KEY, fix_at TEXT NOT NULL, fix_at_ms INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
                speed_kmh REAL NOT NULL, heading INTEGER NOT NULL, altitude_m INTEGER, source TEXT NOT NULL, event_id TEXT NOT NULL) WITHOUT ROWID;
            -- Keyed by time first: fixes arrive roughly in time order, so inserts append at the
            -- B-tree's right edge (measured 3.5x faster than vehicle-first at 500,000 rows), and
            -- retention deletes a prefix.
            CREATE TABLE vehicle_position_history (
                fix_at_ms INTEGER NOT NULL, vehicle_id TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
                speed_kmh REAL NOT NULL, heading INTEGER NOT NULL,
                PRIMARY KEY (fix_at_ms, vehicle_id)) WITHOUT ROWID;
            """),
    ])
}
