#ifndef LUBEHUB_CSQLITE_SHIM_H
#define LUBEHUB_CSQLITE_SHIM_H
#include <sqlite3.h>
#include <stdint.h>
#include <unistd.h>
/// SQLITE_TRANSIENT is a macro Swift cannot import: tells SQLite to copy bound text and blobs.
static inline void (*lubehub_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }

/// Busy handler: waits in steps of 1 ms while another connection holds the write lock, up to
/// `limit` steps. SQLite's own busy timeout sleeps 1, 2, 5 … up to 100 ms between tries, so a
/// writer that finds the lock taken often sleeps tens of milliseconds after it was freed.
static inline int lubehub_sqlite_busy_wait(void *limit, int tries) {
    if (tries >= (int)(intptr_t)limit) return 0;
    usleep(1000);
    return 1;
}

/// Installs ``lubehub_sqlite_busy_wait`` on a connection: at most about `milliseconds` of waiting.
static inline int lubehub_sqlite_set_busy_wait(sqlite3 *db, int milliseconds) {
    return sqlite3_busy_handler(db, lubehub_sqlite_busy_wait, (void *)(intptr_t)milliseconds);
}
#endif
