// drivers.h: internal; the two drivers behind Db::Open.
#pragma once
#include <memory>
#include <string>

#include "db/db.h"

namespace kehou::db {
std::unique_ptr<Db> OpenSqlite(const std::string& path);
std::unique_ptr<Db> OpenPostgres(const std::string& url);
// dedicated.h for each driver: nullptr / 0 when db is not of that driver.
std::unique_ptr<Conn> SqliteDedicated(Db& db);
size_t SqliteReaders(Db& db);
std::unique_ptr<Conn> PostgresDedicated(Db& db);
size_t PostgresReadConnections(Db& db);  // the reads' pool
// libpq is opened on the first PostgreSQL connection (libpq_lazy.cpp): "" when loaded, else why not.
std::string LoadLibpq();
}  // namespace kehou::db
