// store.h (db): the database layer's own statements, as named constants: the migration runner's
// bookkeeping (schema_migrations), the drivers' connection set-up and probes. No module's data:
// a module's SQL lives in that module's store files.
// Thread-safety: constants only.
#pragma once
#include <cstdint>

namespace kehou::db::store {

inline constexpr const char* kCreateMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
inline constexpr const char* kAppliedVersions = "SELECT version FROM schema_migrations ORDER BY version";
inline constexpr const char* kIsApplied = "SELECT 1 FROM schema_migrations WHERE version = $1";
inline constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
// PostgreSQL: several servers may start at once on one database: the first migrates, the rest wait
// on this transaction-scoped lock ($1 = kMigrationLockKey).
inline constexpr const char* kMigrationLockPg = "SELECT pg_advisory_xact_lock($1)";
inline constexpr int64_t kMigrationLockKey = 0x6b65686f75;  // "kehou"

// PostgreSQL: every new connection's session settings (quiet notices; instants are UTC).
inline constexpr const char* kSessionSettingsPg = "SET client_min_messages = warning; SET TIME ZONE 'UTC';";
// SQLite: a connection learns that the file is in WAL mode only when it first reads it (the
// checkpointer's connection reads this once; until then a checkpoint is a no-op).
inline constexpr const char* kFirstReadSqlite = "SELECT COUNT(*) FROM sqlite_master";

}  // namespace kehou::db::store
