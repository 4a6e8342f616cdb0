#include "http/static_files.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "core/text.h"

namespace kehou::http {
namespace fs = std::filesystem;
namespace {

struct CachedFile {
  std::string body;
  fs::file_time_type mtime;
};
std::mutex g_mu;
std::unordered_map<std::string, CachedFile> g_cache;

std::optional<std::string> ReadCached(const fs::path& p) {
  std::error_code ec;
  auto mtime = fs::last_write_time(p, ec);
  if (ec) return std::nullopt;
  std::string key = p.string();
  {
    std::lock_guard lock(g_mu);
    auto it = g_cache.find(key);
    if (it != g_cache.end() && it->second.mtime == mtime) return it->second.body;
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  std::lock_guard lock(g_mu);
  g_cache[key] = CachedFile{ss.str(), mtime};
  return g_cache[key].body;
}

bool SafeRelative(std::string_view path, std::string& rel) {
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) return false;
  std::string p(path);
  // Decode once more: a path decoded by the server may still hold %2e%2e if double-encoded.
  std::string decoded = UrlDecode(p, false);
  for (const std::string* candidate : {&p, &decoded})
    for (auto& seg : Split(*candidate, '/'))
      if (seg == ".." || seg == ".") return false;
  while (!p.empty() && p.front() == '/') p.erase(0, 1);
  rel = p;
  return true;
}

Response NotFoundPage() {
  Response r;
  r.status = 404;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "404 页面不存在";
  return r;
}

}  // namespace

std::string_view MimeType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json") || ends(".map")) return "application/json; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".jpg") || ends(".jpeg")) return "image/jpeg";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".woff")) return "font/woff";
  if (ends(".ttf")) return "font/ttf";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  if (ends(".csv")) return "text/csv; charset=utf-8";
  if (ends(".xlsx")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (ends(".webmanifest")) return "application/manifest+json";
  return "application/octet-stream";
}

bool AcceptsEncoding(std::string_view accept_encoding, std::string_view coding) {
  auto lower = [](std::string_view v) {
    std::string out(v);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  std::optional<bool> named, star;
  for (auto& item : Split(std::string(accept_encoding), ',')) {
    std::string_view it = item;
    std::string_view name = trim(it.substr(0, it.find(';')));
    bool allowed = true;
    if (auto semi = it.find(';'); semi != std::string_view::npos) {
      std::string params = lower(it.substr(semi + 1));
      if (auto q = params.find("q="); q != std::string::npos) {
        std::string_view qv = trim(std::string_view(params).substr(q + 2));
        // q=0, q=0.0, q=0.000 refuse; anything else allows.
        allowed = qv.find_first_not_of("0.") != std::string_view::npos && !qv.empty();
      }
    }
    std::string n = lower(name);
    if (n == coding) named = allowed;
    else if (n == "*") star = allowed;
  }
  if (named) return *named;
  return star.value_or(false);
}

Response ServeStatic(const std::string& web_dir, std::string_view path, std::string_view accept_encoding) {
  std::string rel;
  if (!SafeRelative(path, rel)) return NotFoundPage();
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::path(web_dir), ec);
  if (ec) return NotFoundPage();
  fs::path target = rel.empty() ? root / "index.html" : root / rel;
  fs::path canon = fs::weakly_canonical(target, ec);
  if (ec) return NotFoundPage();
  auto rs = root.string(), cs = canon.string();
  if (cs.compare(0, rs.size(), rs) != 0 || (cs.size() > rs.size() && cs[rs.size()] != '/')) return NotFoundPage();

  bool is_file = fs::is_regular_file(canon, ec);
  bool spa_fallback = false;
  if (!is_file) {
    // A missing asset is a 404; a missing page path is the single-page app's route.
    auto last = rel.substr(rel.find_last_of('/') == std::string::npos ? 0 : rel.find_last_of('/') + 1);
    if (last.find('.') != std::string::npos || rel.rfind("assets/", 0) == 0) return NotFoundPage();
    // Phone pages have their own entry when built as a second html.
    canon = root / "index.html";
    if (rel.rfind("m/", 0) == 0 || rel == "m") {
      std::error_code ec2;
      if (fs::is_regular_file(root / "m.html", ec2)) canon = root / "m.html";
    }
    spa_fallback = true;
  }
  // A precompressed copy beside the file, when the browser takes it (brotli first). The build
  // empties web/dist first, so a copy is never older than its file.
  std::optional<std::string> body;
  std::string coding;
  for (std::string_view c : {"br", "gzip"}) {
    if (!AcceptsEncoding(accept_encoding, c)) continue;
    fs::path copy = canon;
    copy += c == "br" ? ".br" : ".gz";
    if (!fs::is_regular_file(copy, ec)) continue;
    body = ReadCached(copy);
    if (body) {
      coding = c;
      break;
    }
  }
  if (!body) body = ReadCached(canon);
  if (!body) return NotFoundPage();
  Response r;
  r.body = std::move(*body);
  r.content_type = std::string(MimeType(canon.string()));
  bool hashed = rel.rfind("assets/", 0) == 0 && !spa_fallback;
  r.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (!coding.empty()) r.headers.emplace_back("Content-Encoding", coding);
  r.headers.emplace_back("Vary", "Accept-Encoding");
  return r;
}

}  // namespace kehou::http
