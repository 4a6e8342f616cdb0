// sqlite_lazy.h (db): libsqlite3 opened with dlopen on the first SQLite database, not at process
// start. A CLI command that never opens a database (`timetable solve --fet`, `--help`) paid ~1,600
// symbol bindings for it at every start. Each function sqlite.cpp calls is a pointer in Sqlite3,
// looked up with dlsym once; the names below are macros to those pointers, so the driver reads as
// plain sqlite3. Include it after <sqlite3.h>. Private to src/db (sqlite.cpp).
// Thread-safety: SqliteLib() opens the library once (a function-local static); then read-only.
#pragma once
#include <sqlite3.h>

#include <string>

namespace kehou::db::internal {

// Debian 12 soname (package libsqlite3-0).
inline constexpr const char* kSqliteSoname = "libsqlite3.so.0";

struct Sqlite3 {
  std::string error;  // empty when the library and every function were found
  void* handle = nullptr;
#define KEHOU_SQLITE_FN(name) decltype(&::name) name = nullptr;
#include "db/sqlite_functions.inc"
#undef KEHOU_SQLITE_FN
};

// Opens `soname` and looks the functions up; error names the library when it cannot.
Sqlite3 LoadSqlite3(const char* soname);
// libsqlite3.so.0, opened on the first call; OpenSqlite checks error before any connection.
const Sqlite3& SqliteLib();

}  // namespace kehou::db::internal

#ifndef KEHOU_SQLITE_LAZY_IMPL  // sqlite_lazy.cpp looks the names up itself
#define sqlite3_backup_finish (::kehou::db::internal::SqliteLib().sqlite3_backup_finish)
#define sqlite3_backup_init (::kehou::db::internal::SqliteLib().sqlite3_backup_init)
#define sqlite3_backup_step (::kehou::db::internal::SqliteLib().sqlite3_backup_step)
#define sqlite3_bind_int64 (::kehou::db::internal::SqliteLib().sqlite3_bind_int64)
#define sqlite3_bind_null (::kehou::db::internal::SqliteLib().sqlite3_bind_null)
#define sqlite3_bind_parameter_count (::kehou::db::internal::SqliteLib().sqlite3_bind_parameter_count)
#define sqlite3_bind_parameter_name (::kehou::db::internal::SqliteLib().sqlite3_bind_parameter_name)
#define sqlite3_bind_text64 (::kehou::db::internal::SqliteLib().sqlite3_bind_text64)
#define sqlite3_busy_timeout (::kehou::db::internal::SqliteLib().sqlite3_busy_timeout)
#define sqlite3_changes64 (::kehou::db::internal::SqliteLib().sqlite3_changes64)
#define sqlite3_clear_bindings (::kehou::db::internal::SqliteLib().sqlite3_clear_bindings)
#define sqlite3_close (::kehou::db::internal::SqliteLib().sqlite3_close)
#define sqlite3_column_bytes (::kehou::db::internal::SqliteLib().sqlite3_column_bytes)
#define sqlite3_column_count (::kehou::db::internal::SqliteLib().sqlite3_column_count)
#define sqlite3_column_double (::kehou::db::internal::SqliteLib().sqlite3_column_double)
#define sqlite3_column_int64 (::kehou::db::internal::SqliteLib().sqlite3_column_int64)
#define sqlite3_column_name (::kehou::db::internal::SqliteLib().sqlite3_column_name)
#define sqlite3_column_text (::kehou::db::internal::SqliteLib().sqlite3_column_text)
#define sqlite3_column_type (::kehou::db::internal::SqliteLib().sqlite3_column_type)
#define sqlite3_errmsg (::kehou::db::internal::SqliteLib().sqlite3_errmsg)
#define sqlite3_errstr (::kehou::db::internal::SqliteLib().sqlite3_errstr)
#define sqlite3_exec (::kehou::db::internal::SqliteLib().sqlite3_exec)
#define sqlite3_extended_result_codes (::kehou::db::internal::SqliteLib().sqlite3_extended_result_codes)
#define sqlite3_finalize (::kehou::db::internal::SqliteLib().sqlite3_finalize)
#define sqlite3_free (::kehou::db::internal::SqliteLib().sqlite3_free)
#define sqlite3_get_autocommit (::kehou::db::internal::SqliteLib().sqlite3_get_autocommit)
#define sqlite3_open (::kehou::db::internal::SqliteLib().sqlite3_open)
#define sqlite3_open_v2 (::kehou::db::internal::SqliteLib().sqlite3_open_v2)
#define sqlite3_prepare_v3 (::kehou::db::internal::SqliteLib().sqlite3_prepare_v3)
#define sqlite3_reset (::kehou::db::internal::SqliteLib().sqlite3_reset)
#define sqlite3_sleep (::kehou::db::internal::SqliteLib().sqlite3_sleep)
#define sqlite3_step (::kehou::db::internal::SqliteLib().sqlite3_step)
#define sqlite3_wal_checkpoint_v2 (::kehou::db::internal::SqliteLib().sqlite3_wal_checkpoint_v2)
#endif
