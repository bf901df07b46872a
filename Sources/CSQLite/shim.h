#ifndef LUBEHUB_CSQLITE_SHIM_H
#define LUBEHUB_CSQLITE_SHIM_H
#include <sqlite3.h>
/// SQLITE_TRANSIENT is a macro Swift cannot import: tells SQLite to copy bound text and blobs.
static inline void (*lubehub_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
#endif
