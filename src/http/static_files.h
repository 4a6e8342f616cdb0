// static_files.h: the built pages (web/dist): correct MIME types, long caching for hashed
// assets, no-cache for index.html, SPA fallback to index.html, and no path traversal: a path
// with a ".." segment (encoded or not), a backslash or a NUL never leaves the web folder.
// Precompressed copies: when `make web` left "<file>.br" or "<file>.gz" beside a file and the
// request's Accept-Encoding allows it, that copy is the body (Content-Encoding br or gzip,
// the Content-Type of the original, Vary: Accept-Encoding); brotli is preferred.
// Thread-safety: ServeStatic may be called concurrently; files are cached in memory by path.
#pragma once
#include <string>
#include <string_view>

#include "http/http.h"

namespace kehou::http {

std::string_view MimeType(std::string_view path);
// path: the decoded request path ("/assets/index-3f2a.js").
// accept_encoding: the request's Accept-Encoding header ("" when absent).
Response ServeStatic(const std::string& web_dir, std::string_view path, std::string_view accept_encoding = {});
// Whether an Accept-Encoding header allows `coding` ("br", "gzip"): listed (or "*") with q > 0.
bool AcceptsEncoding(std::string_view accept_encoding, std::string_view coding);

}  // namespace kehou::http
