// xlsx_lazy.h (people): libxlsxwriter opened with dlopen on the first XLSX export, not at process
// start. It (with zlib and minizip) cost every `kehou` start ~900 symbol bindings that a CLI command
// such as `timetable solve --fet` never uses. Each function xlsx.cpp calls is a pointer looked up
// once. Private to src/people.
// Thread-safety: XlsxLib() opens the library once (a function-local static); then read-only.
#pragma once
#include <xlsxwriter.h>

#include <string>

namespace kehou::people::internal {

// Debian 12 soname (package libxlsxwriter4).
inline constexpr const char* kXlsxwriterSoname = "libxlsxwriter.so.4";

struct Xlsxwriter {
  std::string error;  // empty when the library and every function were found
  void* handle = nullptr;
#define KEHOU_XLSX_FN(name) decltype(&::name) name = nullptr;
#include "people/xlsx_functions.inc"
#undef KEHOU_XLSX_FN
};

// Opens `soname` and looks the functions up; error names the library when it cannot.
Xlsxwriter LoadXlsxwriter(const char* soname);
// libxlsxwriter.so.4, opened on the first call; check error before use.
const Xlsxwriter& XlsxLib();

}  // namespace kehou::people::internal
