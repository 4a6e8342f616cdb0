// http_client.h (notify): a small blocking HTTP/1.1 client on asio for the delivery channels:
// one POST of a JSON body, `Connection: close`, the whole exchange bounded by a timeout.
// http:// (the local receiver of the demo and the tests, a gateway on the school's own network) and
// https:// (the public WeCom/DingTalk robots): TLS 1.2+ through asio::ssl (OpenSSL), the peer's
// certificate verified against the system's CA store (or TlsOptions::ca_file) and its host name
// checked (RFC 2818), SNI sent.
// Thread-safety: each call uses its own io_context and TLS context; any thread.
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
  bool tls = false;  // https
};
// http[s]://host[:port][/path?query] -> parts; an error names what is wrong (field "url").
Result<Url> ParseHttpUrl(std::string_view url);

struct TlsOptions {
  std::string ca_file;  // PEM bundle to trust instead of the system's store (tests, a private CA)
};

Result<HttpReply> PostJson(std::string_view url, const std::string& body,
                           const std::map<std::string, std::string>& headers, int timeout_ms,
                           const TlsOptions& tls = {});

}  // namespace kehou::notify
