// dedicated.h: a connection of its own, outside a Db's pool, for one long-lived reader that must
// never wait behind request load (the session cache's revocation poller, auth/service.h).
// The caller owns it and uses it from one thread at a time; each statement runs on its own (no
// transaction). PostgreSQL: a new server connection; SQLite: a new read-only connection (WAL).
#pragma once
#include <cstddef>
#include <memory>

#include "db/db.h"

namespace kehou::db {

// Throws DbError when it cannot connect.
std::unique_ptr<Conn> Dedicated(Db& db);
// How many Read() callbacks can hold a connection of db at once (PostgreSQL: the pool plus the
// connections only reads may open).
size_t ReadConnections(Db& db);

}  // namespace kehou::db
