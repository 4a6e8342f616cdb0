#include "notify/http_client.h"

#include <array>
#include <asio.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>

namespace kehou::notify {

Result<Url> ParseHttpUrl(std::string_view url) {
  if (url.starts_with("https://"))
    return Error::Invalid("暂不支持 https 地址，请使用 http（本机或内网网关）", "https is not supported yet; use http",
                          "url");
  if (!url.starts_with("http://"))
    return Error::Invalid("地址须以 http:// 开头", "the URL must start with http://", "url");
  std::string_view rest = url.substr(7);
  size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  Url u;
  u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (!u.target.empty() && u.target[0] == '?') u.target = "/" + u.target;
  size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    u.host = std::string(authority);
    u.port = "80";
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

Result<HttpReply> PostJson(std::string_view url, const std::string& body,
                           const std::map<std::string, std::string>& headers, int timeout_ms) {
  KEHOU_ASSIGN_OR_RETURN(Url u, ParseHttpUrl(url));
  std::string req =
      "POST " + u.target + " HTTP/1.1\r\nHost: " + u.host + (u.port == "80" ? "" : ":" + u.port) +
      "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\nUser-Agent: kehou-notify\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  req += body;

  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  asio::ip::tcp::socket socket(io);
  std::string raw;
  asio::error_code result = asio::error::would_block;
  std::array<char, 4096> buf{};
  std::function<void()> read_more = [&] {
    socket.async_read_some(asio::buffer(buf), [&](const asio::error_code& ec, size_t n) {
      raw.append(buf.data(), n);
      if (ec == asio::error::eof) result = {};
      else if (ec) result = ec;
      else if (raw.size() > (1u << 20)) result = asio::error::message_size;
      else read_more();
    });
  };
  resolver.async_resolve(u.host, u.port, [&](const asio::error_code& ec, asio::ip::tcp::resolver::results_type eps) {
    if (ec) return void(result = ec);
    asio::async_connect(socket, eps, [&](const asio::error_code& ec2, const asio::ip::tcp::endpoint&) {
      if (ec2) return void(result = ec2);
      asio::async_write(socket, asio::buffer(req), [&](const asio::error_code& ec3, size_t) {
        if (ec3) return void(result = ec3);
        read_more();
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
