// xlsx_lazy.cpp (people): opens libxlsxwriter on the first XLSX and looks up xlsx_functions.inc.
#include "people/xlsx_lazy.h"

#include <dlfcn.h>

namespace kehou::people::internal {

Xlsxwriter LoadXlsxwriter(const char* soname) {
  Xlsxwriter lib;
  lib.handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!lib.handle) {
    const char* why = dlerror();
    lib.error = std::string("Excel 组件未安装或无法加载（") + soname + "，apt-get install libxlsxwriter4）/ cannot load " +
                soname + ": " + (why ? why : "not found");
    return lib;
  }
#define KEHOU_XLSX_FN(name)                                                      \
  lib.name = reinterpret_cast<decltype(&::name)>(dlsym(lib.handle, #name));      \
  if (!lib.name && lib.error.empty()) lib.error = std::string(soname) + " lacks " #name;
#include "people/xlsx_functions.inc"
#undef KEHOU_XLSX_FN
  return lib;
}

const Xlsxwriter& XlsxLib() {
  static const Xlsxwriter lib = LoadXlsxwriter(kXlsxwriterSoname);
  return lib;
}

}  // namespace kehou::people::internal
