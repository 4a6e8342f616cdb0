// query.h: small readers of a request shared by several modules' http.cpp: the address the client
// reached us at (for links and QR codes printed on paper) and the common part of a searchable,
// paged list query (?term_id&q&page&page_size). Thread-safety: pure functions of the request.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "http/http.h"

namespace kehou::http {

// "https://host" or "http://host" as the client sees us (X-Forwarded-Host/-Proto behind a proxy,
// else Host); "" when the request names no host.
inline std::string BaseUrl(const Request& req) {
  std::string host = req.Header("X-Forwarded-Host");
  if (host.empty()) host = req.Header("Host");
  std::string proto = req.Header("X-Forwarded-Proto");
  if (proto != "https") proto = "http";
  return host.empty() ? std::string() : proto + "://" + host;
}

inline constexpr size_t kMaxSearchLength = 60;  // ?q on a searchable list

// The common part of a searchable paged list: only the `allowed` keys (400 naming another),
// ?term_id (an id), ?q (at most kMaxSearchLength bytes), the page.
struct ListQuery {
  std::optional<int64_t> term_id;
  std::string q;
  Page page;
};
inline Result<ListQuery> SearchListOf(const Request& req, std::initializer_list<std::string_view> allowed) {
  KEHOU_TRY(req.OnlyQuery(allowed));
  ListQuery out;
  KEHOU_ASSIGN_OR_RETURN(out.term_id, req.OptIdQuery("term_id"));
  out.q = req.Query("q").value_or("");
  if (out.q.size() > kMaxSearchLength) return Error::Invalid("搜索词过长", "q is too long", "q");
  KEHOU_ASSIGN_OR_RETURN(out.page, PageOf(req));
  return out;
}

}  // namespace kehou::http
