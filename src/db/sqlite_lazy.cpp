// sqlite_lazy.cpp (db): opens libsqlite3 on the first SQLite database and looks up
// sqlite_functions.inc.
#define KEHOU_SQLITE_LAZY_IMPL
#include "db/sqlite_lazy.h"

#include <dlfcn.h>

namespace kehou::db::internal {

Sqlite3 LoadSqlite3(const char* soname) {
  Sqlite3 lib;
  lib.handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!lib.handle) {
    const char* why = dlerror();
    lib.error = std::string("SQLite 库未安装或无法加载（") + soname + "，apt-get install libsqlite3-0）/ cannot load " +
                soname + ": " + (why ? why : "not found");
    return lib;
  }
#define KEHOU_SQLITE_FN(name)                                                    \
  lib.name = reinterpret_cast<decltype(&::name)>(dlsym(lib.handle, #name));      \
  if (!lib.name && lib.error.empty()) lib.error = std::string(soname) + " lacks " #name;
#include "db/sqlite_functions.inc"
#undef KEHOU_SQLITE_FN
  return lib;
}

const Sqlite3& SqliteLib() {
  static const Sqlite3 lib = LoadSqlite3(kSqliteSoname);
  return lib;
}

}  // namespace kehou::db::internal
