// xlsx_lazy.cpp (people): opens libxlsxwriter on the first XLSX (core::DynLib) and looks up
// xlsx_functions.inc.
#include "people/xlsx_lazy.h"

#include "core/dynlib.h"

namespace kehou::people::internal {

Xlsxwriter LoadXlsxwriter(const char* soname) {
  core::DynLib so({{soname}, "Excel 组件", "apt-get install libxlsxwriter4"});
  Xlsxwriter lib;
#define KEHOU_XLSX_FN(name) lib.name = so.Get<decltype(&::name)>(#name);
#include "people/xlsx_functions.inc"
#undef KEHOU_XLSX_FN
  lib.handle = so.handle();
  lib.error = so.error();
  return lib;
}

const Xlsxwriter& XlsxLib() {
  static const Xlsxwriter lib = LoadXlsxwriter(kXlsxwriterSoname);
  return lib;
}

}  // namespace kehou::people::internal
