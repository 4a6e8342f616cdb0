// lazy.cpp (pdf): opens libpangocairo (with cairo, pango and glib, its dependencies) and
// libqrencode on the first PDF and looks up the functions lazy.h names.
#define KEHOU_PDF_LAZY_IMPL
#include "pdf/lazy.h"

#include <dlfcn.h>

namespace kehou::pdf::internal {
namespace {

// Debian 12 sonames (packages libpangocairo-1.0-0, libqrencode4).
constexpr const char* kPangoCairo = "libpangocairo-1.0.so.0";
constexpr const char* kQrencode = "libqrencode.so.4";

void* Open(const char* soname, Libs& lib) {
  void* h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h && lib.error.empty()) {
    const char* why = dlerror();
    lib.error = std::string("PDF 组件未安装或无法加载（") + soname + "）/ cannot load " + soname + ": " +
                (why ? why : "not found");
  }
  return h;
}

Libs Load() {
  Libs lib;
  void* gfx = Open(kPangoCairo, lib);  // dlsym on it also searches cairo, pango and glib
  void* qr = Open(kQrencode, lib);
  if (!lib.error.empty()) return lib;
#define KEHOU_PDF_FN(name)                                                       \
  lib.name = reinterpret_cast<decltype(&::name)>(dlsym(gfx, #name));             \
  if (!lib.name && lib.error.empty()) lib.error = std::string("PDF 组件缺少函数 / missing ") + #name;
#define KEHOU_QR_FN(name)                                                        \
  lib.name = reinterpret_cast<decltype(&::name)>(dlsym(qr, #name));              \
  if (!lib.name && lib.error.empty()) lib.error = std::string("PDF 组件缺少函数 / missing ") + #name;
#include "pdf/lazy_functions.inc"
#undef KEHOU_PDF_FN
#undef KEHOU_QR_FN
  return lib;
}

}  // namespace

const Libs& Lazy() {
  static const Libs lib = Load();
  return lib;
}

const std::string& LazyError() { return Lazy().error; }

}  // namespace kehou::pdf::internal
