// mapped_file.h: a file's bytes, read-only, mapped into memory rather than copied (for large inputs
// read once, e.g. a .fet file: its pages are the page cache's, no new memory is touched). A file
// that cannot be mapped (a pipe, a special file) is read into memory instead. For files the caller
// owns for the moment (a command's input): one cut shorter by another process while mapped ends the
// process with SIGBUS. Thread-safety: a value; the bytes stay valid while the object lives.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"

namespace kehou {

class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path);
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view bytes() const { return map_ ? std::string_view(static_cast<const char*>(map_), size_) : read_; }

 private:
  MappedFile() = default;
  void* map_ = nullptr;
  size_t size_ = 0;
  std::string read_;  // when the file could not be mapped
};

}  // namespace kehou
