#ifndef LAZARUS_CSQLITE_SHIM_H
#define LAZARUS_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type lazarus_sqlite_transient(void) { return SQLITE_TRANSIENT; }
/// Extended result codes are macros built from shifts, which Swift does not import.
static inline int lazarus_sqlite_constraint_primarykey(void) { return SQLITE_CONSTRAINT_PRIMARYKEY; }
static inline int lazarus_sqlite_constraint_unique(void) { return SQLITE_CONSTRAINT_UNIQUE; }
#endif
