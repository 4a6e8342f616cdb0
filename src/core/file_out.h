// file_out.h: a file a service hands to the HTTP layer to send as a download (XLSX, CSV, PDF,
// lesson plans). The one definition; http::Download(FileOut) sends it. Thread-safety: a value.
#pragma once
#include <string>

namespace kehou {

struct FileOut {
  std::string bytes;
  std::string content_type;  // e.g. people::kXlsxContentType
  std::string filename;      // UTF-8, shown to the user
};

}  // namespace kehou
