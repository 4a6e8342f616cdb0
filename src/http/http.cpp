#include "http/http.h"

#include <algorithm>
#include <cctype>

#include "access/permissions.h"
#include "core/body.h"
#include "core/text.h"

namespace kehou::http {
namespace {
bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}
std::vector<std::string> SplitPath(std::string_view p) {
  std::vector<std::string> out;
  for (auto& s : Split(p, '/'))
    if (!s.empty()) out.push_back(s);
  return out;
}
}  // namespace

std::string UrlDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int h = hex(s[i + 1]), l = hex(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out.push_back(static_cast<char>(h * 16 + l));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view qs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& part : Split(qs, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string::npos) out.emplace_back(UrlDecode(part, true), "");
    else
      out.emplace_back(UrlDecode(std::string_view(part).substr(0, eq), true),
                       UrlDecode(std::string_view(part).substr(eq + 1), true));
  }
  return out;
}

Response Request::Defer(std::function<Response()> work) {
  deferred = std::move(work);
  Response placeholder;  // (never sent: the deferred work's answer is)
  placeholder.status = 0;
  return placeholder;
}

std::string Request::Header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (IEquals(k, name)) return v;
  return {};
}

std::optional<std::string> Request::Query(std::string_view key) const {
  for (auto& [k, v] : ParseQuery(query_string))
    if (k == key) return v;
  return std::nullopt;
}

std::string Request::Cookie(std::string_view name) const {
  std::string all = Header("Cookie");
  for (auto& part : Split(all, ';')) {
    std::string p = Trim(part);
    auto eq = p.find('=');
    if (eq != std::string::npos && std::string_view(p).substr(0, eq) == name) return p.substr(eq + 1);
  }
  return {};
}

bool Request::English() const {
  std::string al = Header("Accept-Language");
  if (al.empty()) return false;
  std::string first = Trim(Split(Split(al, ',')[0], ';')[0]);
  return first.size() >= 2 && (first[0] == 'e' || first[0] == 'E') && (first[1] == 'n' || first[1] == 'N');
}

Result<int64_t> Request::IdParam(std::string_view name) const {
  auto it = params.find(std::string(name));
  if (it != params.end()) {
    auto v = ParseInt(it->second);
    if (v && *v > 0) return *v;
  }
  return MakeError(kNotFound, "记录不存在", "not found", std::string(name));
}

Result<std::optional<int64_t>> Request::OptIdQuery(std::string_view key) const {
  auto v = Query(key);
  if (!v || Trim(*v).empty()) return std::optional<int64_t>();
  auto n = ParseInt(Trim(*v));
  if (!n || *n <= 0)
    return MakeError(kInvalid, std::string(key) + " 应为正整数", std::string(key) + " must be a positive integer",
                     std::string(key));
  return std::optional<int64_t>(*n);
}

Result<std::optional<int64_t>> Request::OptIntQuery(std::string_view key, int64_t min, int64_t max) const {
  auto v = Query(key);
  if (!v || Trim(*v).empty()) return std::optional<int64_t>();
  auto n = ParseInt(Trim(*v));
  if (!n || *n < min || *n > max) {
    std::string k(key);
    return Error::Invalid("参数 " + k + " 应为 " + std::to_string(min) + " 到 " + std::to_string(max) + " 之间的整数",
                          k + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max), k);
  }
  return std::optional<int64_t>(*n);
}

namespace {
template <class Keys>
Status OnlyKeys(std::string_view query_string, const Keys& allowed) {
  for (auto& [k, v] : ParseQuery(query_string))
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::string name = TruncateUtf8(k, 64);
      return Error::Invalid("不支持的查询参数：" + name, "unknown query parameter " + name, name);
    }
  return Ok();
}
}  // namespace

Status Request::OnlyQuery(std::initializer_list<std::string_view> allowed) const {
  return OnlyKeys(query_string, allowed);
}
Status Request::OnlyQuery(const std::vector<std::string>& allowed) const { return OnlyKeys(query_string, allowed); }

Result<std::optional<kehou::Date>> Request::OptDateQuery(std::string_view key) const {
  auto q = Query(key);
  if (!q || q->empty()) return std::optional<kehou::Date>{};
  auto d = ParseDate(*q);
  if (!d) return Error::Invalid("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD", std::string(key));
  return std::optional<kehou::Date>{*d};
}

Result<Json> Request::JsonBody() const { return BodyReader::ParseObject(body); }

Response JsonResponse(const Json& j, int status) {
  Response r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response ErrorResponse(const Error& e, const Request& req) {
  Json err = {{"code", ErrorCodeName(e.code)},
              {"message", req.English() && !e.message_en.empty() ? e.message_en : e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  if (!req.request_id.empty()) err["request_id"] = req.request_id;
  Response r = JsonResponse(Json{{"error", err}}, ErrorStatus(e.code));
  if (e.retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(e.retry_after));
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Download(std::string bytes, std::string content_type, const std::string& filename) {
  Response r;
  r.body = std::move(bytes);
  r.content_type = std::move(content_type);
  std::string enc;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') enc.push_back(static_cast<char>(c));
    else {
      enc.push_back('%');
      enc.push_back(kHex[c >> 4]);
      enc.push_back(kHex[c & 15]);
    }
  }
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"download\"; filename*=UTF-8''" + enc);
  return r;
}

Response Answer(const Result<Json>& r, const Request& req, int ok_status) {
  if (!r.ok()) return ErrorResponse(r.error(), req);
  return JsonResponse(r.value(), ok_status);
}

Response Answer(const Status& r, const Request& req) {
  if (!r.ok()) return ErrorResponse(r.error(), req);
  return NoContent();
}

Response RowErrors(const Error& e, const Json& extra, const Request& req) {
  Response resp = ErrorResponse(e, req);
  Json j = Json::parse(resp.body);
  for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
  return JsonResponse(j, 422);
}

std::string ClientBehindProxy(const Request& req, const std::string& peer) {
  std::string real = Trim(req.Header("X-Real-IP"));
  if (!real.empty()) return real;
  std::string fwd = req.Header("X-Forwarded-For");
  if (!fwd.empty()) {
    // The last address is the one our proxy saw; earlier ones are the client's own claims.
    auto parts = Split(fwd, ',');
    std::string last = Trim(parts.back());
    if (!last.empty()) return last;
  }
  return peer;
}

void AddSecurityHeaders(std::string_view path, Response& r) {
  auto has = [&](std::string_view name) {
    for (auto& [k, v] : r.headers)
      if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          }))
        return true;
    return false;
  };
  auto add = [&](const char* name, const char* value) {
    if (!has(name)) r.headers.emplace_back(name, value);
  };
  const bool api = path.rfind("/api/", 0) == 0;
  add("Content-Security-Policy", api ? kApiCsp : kPageCsp);
  add("X-Frame-Options", "DENY");
  add("X-Content-Type-Options", "nosniff");
  add("Referrer-Policy", "same-origin");
  if (api) add("Cache-Control", "no-store");
}

Result<Page> PageOf(const Request& req) {
  Page p;
  KEHOU_ASSIGN_OR_RETURN(auto page, req.OptIntQuery("page", 1, kMaxPage));
  KEHOU_ASSIGN_OR_RETURN(auto size, req.OptIntQuery("page_size", 1, kMaxPageSize));
  if (page) p.page = *page;
  if (size) p.size = *size;
  return p;
}

void Router::Add(std::string method, std::string pattern, Handler h, RouteOptions o) {
  if (!auth::FindPermission(method, pattern))
    throw std::logic_error("route has no entry in the permission table: " + method + " " + pattern);
  for (auto& r : routes_)
    if (r.method == method && r.pattern == pattern)
      throw std::logic_error("route registered twice: " + method + " " + pattern);
  Route r{std::move(method), std::move(pattern), std::move(h), o, {}};
  r.segments = SplitPath(r.pattern);
  routes_.push_back(std::move(r));
}

void Router::Add(std::string method, std::string pattern, Allow allow, Handler h, RouteOptions o) {
  auth::DeclarePermission(
      auth::Permission{method, pattern, std::move(allow.grants), allow.is_public, allow.csrf_exempt});
  Add(std::move(method), std::move(pattern), std::move(h), o);
}

const Route* Router::Match(std::string_view method, std::string_view path, std::map<std::string, std::string>& params,
                           bool* path_exists) const {
  auto segs = SplitPath(path);
  const Route* best = nullptr;
  int best_literals = -1;
  if (path_exists) *path_exists = false;
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    int literals = 0;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      if (!r.segments[i].empty() && r.segments[i][0] == ':') continue;
      if (r.segments[i] != segs[i]) ok = false;
      else ++literals;
    }
    if (!ok) continue;
    if (path_exists) *path_exists = true;
    if (r.method != method) continue;
    if (literals > best_literals) {
      best = &r;
      best_literals = literals;
    }
  }
  if (best) {
    params.clear();
    for (size_t i = 0; i < segs.size(); ++i)
      if (!best->segments[i].empty() && best->segments[i][0] == ':') params[best->segments[i].substr(1)] = segs[i];
  }
  return best;
}

}  // namespace kehou::http
