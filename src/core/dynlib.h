// dynlib.h (core): a shared library opened with dlopen on first use instead of at process start,
// and its functions looked up by name. The one way the lazy loaders (db: libpq, libsqlite3;
// people: libxlsxwriter; pdf: pangocairo, qrencode) open their library: each keeps only its list
// of names (an .inc file) and the struct of pointers that list makes.
//   core::DynLib so({{"libsqlite3.so.0"}, "SQLite 库", "apt-get install libsqlite3-0"});
//   lib.sqlite3_open = so.Get<decltype(&::sqlite3_open)>("sqlite3_open");   // one per name
//   if (!so.error().empty()) ...   // the library or a name missing, in Chinese and English
// Thread-safety: a value; the loaders build theirs once (a function-local static), then read it.
#pragma once
#include <string>
#include <vector>

namespace kehou::core {

// What to open: the sonames tried in order (the Debian soname first), the library as a person
// would name it (Chinese), and how to install it ("apt-get install libpq5").
struct LibrarySpec {
  std::vector<std::string> sonames;
  std::string what;
  std::string install;
};

class DynLib {
 public:
  // Opens the first soname that loads (RTLD_NOW | RTLD_LOCAL; never closed). When none does,
  // error() says so: "<what>未安装或无法加载（<soname>，<install>）/ cannot load <soname>: <why>".
  explicit DynLib(LibrarySpec spec);

  // The address of `name`, or nullptr; the first name not found is kept in error()
  // ("<what>缺少函数 <name> / <soname> lacks <name>"). nullptr without a lookup when not open.
  void* Find(const char* name);
  template <typename Fn>
  Fn Get(const char* name) {
    return reinterpret_cast<Fn>(Find(name));
  }

  // "" when the library is open and every name looked up so far was found.
  const std::string& error() const { return error_; }
  void* handle() const { return handle_; }
  // The soname that was opened (the first one tried when none was).
  const std::string& soname() const { return soname_; }

 private:
  LibrarySpec spec_;
  std::string soname_;
  std::string error_;
  void* handle_ = nullptr;
};

}  // namespace kehou::core
