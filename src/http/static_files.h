// static_files.h: the built pages (web/dist): correct MIME types, long caching for hashed
// assets, no-cache for index.html, SPA fallback to index.html, and no path traversal: a path
// with a ".." segment (encoded or not), a backslash or a NUL never leaves the web folder.
// Thread-safety: ServeStatic may be called concurrently; files are cached in memory by path.
#pragma once
#include <string>
#include <string_view>

#include "http/http.h"

namespace kehou::http {

std::string_view MimeType(std::string_view path);
// path: the decoded request path ("/assets/index-3f2a.js").
Response ServeStatic(const std::string& web_dir, std::string_view path);

}  // namespace kehou::http
