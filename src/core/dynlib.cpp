// dynlib.cpp (core): dlopen the first soname that loads, dlsym each name; the message when not.
#include "core/dynlib.h"

#include <dlfcn.h>

#include <utility>

namespace kehou::core {

DynLib::DynLib(LibrarySpec spec) : spec_(std::move(spec)) {
  const char* why = nullptr;
  for (const std::string& name : spec_.sonames) {
    if ((handle_ = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL)) != nullptr) {
      soname_ = name;
      return;
    }
    why = dlerror();
  }
  soname_ = spec_.sonames.empty() ? std::string() : spec_.sonames.front();
  error_ = spec_.what + "未安装或无法加载（" + soname_ + "，" + spec_.install + "）/ cannot load " + soname_ + ": " +
           (why ? why : "not found");
}

void* DynLib::Find(const char* name) {
  if (!handle_) return nullptr;
  void* fn = dlsym(handle_, name);
  if (!fn && error_.empty()) error_ = spec_.what + "缺少函数 " + name + " / " + soname_ + " lacks " + name;
  return fn;
}

}  // namespace kehou::core
