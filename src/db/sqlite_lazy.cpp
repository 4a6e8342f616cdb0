// sqlite_lazy.cpp (db): opens libsqlite3 on the first SQLite database (core::DynLib) and looks up
// sqlite_functions.inc.
#define KEHOU_SQLITE_LAZY_IMPL
#include "db/sqlite_lazy.h"

#include "core/dynlib.h"

namespace kehou::db::internal {

Sqlite3 LoadSqlite3(const char* soname) {
  core::DynLib so({{soname}, "SQLite 库", "apt-get install libsqlite3-0"});
  Sqlite3 lib;
#define KEHOU_SQLITE_FN(name) lib.name = so.Get<decltype(&::name)>(#name);
#include "db/sqlite_functions.inc"
#undef KEHOU_SQLITE_FN
  lib.handle = so.handle();
  lib.error = so.error();
  return lib;
}

const Sqlite3& SqliteLib() {
  static const Sqlite3 lib = LoadSqlite3(kSqliteSoname);
  return lib;
}

}  // namespace kehou::db::internal
