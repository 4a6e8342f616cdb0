// dedicated.h: a connection of its own, outside a Db's pool, for one long-lived reader that must
// never wait behind request load (the session cache's revocation poller, auth/service.h).
// The caller owns it and uses it from one thread at a time; each statement runs on its own (no
// transaction). PostgreSQL: a new server connection; SQLite: a new read-only connection (WAL).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "db/db.h"

namespace kehou::db {

// Throws DbError when it cannot connect.
std::unique_ptr<Conn> Dedicated(Db& db);
// How many Read() callbacks can hold a connection of db at once (PostgreSQL: the reads' pool,
// apart from the writes').
size_t ReadConnections(Db& db);

// PostgreSQL, before a server answers: opens every connection of both pools (a new backend's
// first statements load its catalog caches and plans, tens of milliseconds of the database's CPU
// each) and runs `fn` on each of the writes' connections inside a transaction that is then rolled
// back, so whatever fn writes is undone. A failing fn leaves that connection colder, nothing else;
// a connection the database refuses (max_connections) is left to be opened when needed, as before.
// Returns how many write connections fn completed on; SQLite: 0, nothing done.
size_t WarmConnections(Db& db, const std::function<void(Conn&)>& fn);

// PostgreSQL's pools as they stand, the reads' and the writes' summed (tests, diagnostics);
// nullopt on SQLite.
struct PoolStats {
  size_t size = 0;        // connections it may hold open at once
  size_t open = 0;        // open now (leased or free)
  size_t waiting = 0;     // callers waiting for a connection
  uint64_t connects = 0;  // connections opened after the first
  uint64_t wakeups = 0;   // times a caller looked at the pool (on arrival, then once per wake-up)
};
std::optional<PoolStats> PostgresPoolStats(Db& db);

}  // namespace kehou::db
