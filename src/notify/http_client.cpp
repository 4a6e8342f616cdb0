#include "notify/http_client.h"

#include <array>
#include <asio.hpp>
#include <asio/ssl.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>

namespace kehou::notify {

Result<Url> ParseHttpUrl(std::string_view url) {
  const bool tls = url.starts_with("https://");
  if (!tls && !url.starts_with("http://"))
    return Error::Invalid("地址须以 http:// 或 https:// 开头", "the URL must start with http:// or https://", "url");
  std::string_view rest = url.substr(tls ? 8 : 7);
  size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  Url u;
  u.tls = tls;
  u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (!u.target.empty() && u.target[0] == '?') u.target = "/" + u.target;
  size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    u.host = std::string(authority);
    u.port = tls ? "443" : "80";
  } else {
    u.host = std::string(authority.substr(0, colon));
    u.port = std::string(authority.substr(colon + 1));
  }
  if (u.host.empty() || u.port.empty() || u.port.find_first_not_of("0123456789") != std::string::npos)
    return Error::Invalid("地址格式不正确", "malformed URL", "url");
  for (char ch : u.target)
    if (static_cast<unsigned char>(ch) <= ' ') return Error::Invalid("地址格式不正确", "malformed URL", "url");
  return u;
}

namespace {

// A chunked body ("1b\r\n...\r\n0\r\n\r\n") joined; nullopt when malformed.
std::optional<std::string> Dechunk(std::string_view in) {
  std::string out;
  size_t p = 0;
  for (;;) {
    size_t eol = in.find("\r\n", p);
    if (eol == std::string_view::npos) return std::nullopt;
    size_t n = 0;
    auto [end, ec] = std::from_chars(in.data() + p, in.data() + eol, n, 16);
    if (ec != std::errc() || end == in.data() + p) return std::nullopt;
    if (n == 0) return out;
    if (eol + 2 + n > in.size()) return std::nullopt;
    out.append(in.substr(eol + 2, n));
    p = eol + 2 + n + 2;
  }
}

std::string Lower(std::string_view s) {
  std::string o(s);
  for (char& ch : o) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return o;
}

Result<HttpReply> ParseReply(const std::string& raw) {
  // "HTTP/1.1 200 OK\r\n...headers...\r\n\r\nbody", the body whole (Connection: close) or chunked.
  if (!raw.starts_with("HTTP/1.") || raw.size() < 12)
    return Error::Unavailable("对方返回的不是 HTTP 应答", "not an HTTP answer");
  HttpReply r;
  r.status = std::atoi(raw.c_str() + 9);
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return r;
  r.body = raw.substr(end + 4);
  if (Lower(std::string_view(raw).substr(0, end)).find("transfer-encoding: chunked") != std::string::npos) {
    auto joined = Dechunk(r.body);
    if (!joined) return Error::Unavailable("对方应答的分块格式不正确", "malformed chunked answer");
    r.body = std::move(*joined);
  }
  return r;
}

}  // namespace

namespace {

// The exchange on a connected stream (plain TCP or TLS): write the request, then read to the end;
// `result` gets the final error (none at a clean end of the answer). Lives on the caller's stack
// while its io_context runs.
template <class Stream>
struct Exchange {
  Stream& stream;
  const std::string& req;
  std::string& raw;
  asio::error_code& result;
  std::array<char, 4096> buf{};

  void Start() {
    asio::async_write(stream, asio::buffer(req), [this](const asio::error_code& ec, size_t) {
      if (ec) return void(result = ec);
      More();
    });
  }
  void More() {
    stream.async_read_some(asio::buffer(buf), [this](const asio::error_code& ec, size_t n) {
      raw.append(buf.data(), n);
      // A TLS peer that closes without close_notify ends the answer too (Connection: close; the
      // answer itself is checked by ParseReply).
      if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) result = {};
      else if (ec) result = ec;
      else if (raw.size() > (1u << 20)) result = asio::error::message_size;
      else More();
    });
  }
};

}  // namespace

Result<HttpReply> PostJson(std::string_view url, const std::string& body,
                           const std::map<std::string, std::string>& headers, int timeout_ms, const TlsOptions& tls) {
  KEHOU_ASSIGN_OR_RETURN(Url u, ParseHttpUrl(url));
  const bool default_port = u.port == (u.tls ? "443" : "80");
  std::string req =
      "POST " + u.target + " HTTP/1.1\r\nHost: " + u.host + (default_port ? "" : ":" + u.port) +
      "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\nUser-Agent: kehou-notify\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  req += body;

  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  asio::error_code setup;
  if (u.tls) {
    if (tls.ca_file.empty()) ctx.set_default_verify_paths(setup);
    else ctx.load_verify_file(tls.ca_file, setup);
    if (setup)
      return Error::Unavailable("无法加载根证书：" + setup.message(), "cannot load the CA store: " + setup.message());
    ctx.set_verify_mode(asio::ssl::verify_peer);
  }
  asio::ssl::stream<asio::ip::tcp::socket> stream(io, ctx);
  if (u.tls) {
    stream.set_verify_callback(asio::ssl::host_name_verification(u.host));
    asio::error_code not_ip;
    (void)asio::ip::make_address(u.host, not_ip);
    if (not_ip && !SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str()))  // SNI (names only)
      return Error::Unavailable("无法设置 TLS 主机名", "cannot set the TLS host name");
  }
  auto& socket = stream.next_layer();
  std::string raw;
  asio::error_code result = asio::error::would_block;
  Exchange<asio::ip::tcp::socket> plain{socket, req, raw, result};
  Exchange<asio::ssl::stream<asio::ip::tcp::socket>> secure{stream, req, raw, result};
  resolver.async_resolve(u.host, u.port, [&](const asio::error_code& ec, asio::ip::tcp::resolver::results_type eps) {
    if (ec) return void(result = ec);
    asio::async_connect(socket, eps, [&](const asio::error_code& ec2, const asio::ip::tcp::endpoint&) {
      if (ec2) return void(result = ec2);
      if (!u.tls) return plain.Start();
      stream.async_handshake(asio::ssl::stream_base::client, [&](const asio::error_code& ec3) {
        if (ec3) return void(result = ec3);
        secure.Start();
      });
    });
  });
  io.run_for(std::chrono::milliseconds(timeout_ms));
  if (result == asio::error::would_block) {
    return Error::Unavailable("对方 " + std::to_string(timeout_ms / 1000) + " 秒内未应答",
                              "no answer within " + std::to_string(timeout_ms) + " ms");
  }
  if (result) return Error::Unavailable("连接失败：" + result.message(), "connection failed: " + result.message());
  return ParseReply(raw);
}

}  // namespace kehou::notify
