// lazy.cpp (pdf): opens libpangocairo (with cairo, pango and glib, its dependencies) and
// libqrencode on the first PDF (core::DynLib) and looks up the functions lazy.h names.
#define KEHOU_PDF_LAZY_IMPL
#include "pdf/lazy.h"

#include "core/dynlib.h"

namespace kehou::pdf::internal {
namespace {

Libs Load() {
  // Debian 12 sonames. dlsym on pangocairo also searches cairo, pango and glib (its dependencies).
  core::DynLib gfx({{"libpangocairo-1.0.so.0"}, "PDF 组件", "apt-get install libpangocairo-1.0-0"});
  core::DynLib qr({{"libqrencode.so.4"}, "PDF 组件", "apt-get install libqrencode4"});
  Libs lib;
#define KEHOU_PDF_FN(name) lib.name = gfx.Get<decltype(&::name)>(#name);
#define KEHOU_QR_FN(name) lib.name = qr.Get<decltype(&::name)>(#name);
#include "pdf/lazy_functions.inc"
#undef KEHOU_PDF_FN
#undef KEHOU_QR_FN
  lib.error = !gfx.error().empty() ? gfx.error() : qr.error();
  return lib;
}

}  // namespace

const Libs& Lazy() {
  static const Libs lib = Load();
  return lib;
}

const std::string& LazyError() { return Lazy().error; }

}  // namespace kehou::pdf::internal
