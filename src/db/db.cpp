#include "db/db.h"

#include <algorithm>

#include "core/time.h"
#include "db/dedicated.h"
#include "db/drivers.h"
#include "db/store.h"

namespace kehou::db {

std::unique_ptr<Db> Db::Open(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return OpenPostgres(url);
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);  // sqlite://path
    if (path.empty()) throw DbError("sqlite: needs a file path, e.g. sqlite:var/kehou.db");
    return OpenSqlite(path);
  }
  if (url.size() > 3 && (url.ends_with(".db") || url.ends_with(".sqlite"))) return OpenSqlite(url);
  throw DbError("unknown database url (use sqlite:PATH or postgresql://...): " + url);
}

std::unique_ptr<Conn> Dedicated(Db& db) {
  if (auto c = PostgresDedicated(db)) return c;
  if (auto c = SqliteDedicated(db)) return c;
  throw DbError("no dedicated connection for " + db.Describe());
}

size_t ReadConnections(Db& db) { return std::max(PostgresReadConnections(db), SqliteReaders(db)); }

bool Db::SharedTransaction(const std::function<void()>&) {
  throw DbError("shared transactions are only available on SQLite");
}

void Db::WithDirect(const std::function<void(Conn&)>&) {
  throw DbError("statements outside a transaction are only available on PostgreSQL");
}

std::vector<int> AppliedMigrations(Db& db) {
  db.Write([](Conn& c) { c.Exec(store::kCreateMigrations); });
  return db.Read([](Conn& c) {
    std::vector<int> out;
    for (auto& r : c.Query(store::kAppliedVersions)) out.push_back(static_cast<int>(r.Int("version")));
    return out;
  });
}

std::vector<int> Migrate(Db& db) {
  db.Write([](Conn& c) { c.Exec(store::kCreateMigrations); });
  std::vector<int> applied;
  for (const Migration& m : AllMigrations()) {
    if (m.only && *m.only != db.dialect()) continue;
    bool done = db.Write([&](Conn& c) {
      // Several servers may start at once on one PostgreSQL: the first migrates, the rest wait.
      if (c.dialect() == Dialect::kPostgres) c.Query(store::kMigrationLockPg, {store::kMigrationLockKey});
      if (c.QueryOne(store::kIsApplied, {int64_t{m.version}})) return false;
      c.ExecScript(Portable(m.sql, c.dialect()));
      c.Exec(store::kRecordMigration, {int64_t{m.version}, m.name, NowMs()});
      return true;
    });
    if (done) applied.push_back(m.version);
  }
  return applied;
}

}  // namespace kehou::db
