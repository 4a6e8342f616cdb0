// http_client.h (notify): a small blocking HTTP/1.1 client on asio for the delivery channels:
// one POST of a JSON body, `Connection: close`, the whole exchange bounded by a timeout.
// http:// only (the local receiver of the demo and the tests, or a gateway on the school's own
// network); an https:// URL is refused with its reason (TLS through asio::ssl is left to do).
// Thread-safety: each call uses its own io_context; any thread.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kehou::notify {

struct HttpReply {
  int status = 0;
  std::string body;
};

struct Url {
  std::string host, port, target;
};
// http://host[:port][/path?query] -> parts; an error names what is wrong (field "url").
Result<Url> ParseHttpUrl(std::string_view url);

Result<HttpReply> PostJson(std::string_view url, const std::string& body,
                           const std::map<std::string, std::string>& headers, int timeout_ms);

}  // namespace kehou::notify
