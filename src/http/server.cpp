// The only translation unit that includes RESTinio.
#include "http/server.h"

#include <restinio/all.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include "core/text.h"

namespace kehou::http {
namespace {

using Traits = restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t>;
constexpr uint64_t kTransportBodyLimit = 64ull << 20;  // routes set their own, lower limits (413)

std::string NewRequestPrefix() {
  unsigned char b[3];
  randombytes_buf(b, sizeof b);
  return ToHex(b, sizeof b);
}

const char* Reason(int s) {
  switch (s) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return s >= 500 ? "Internal Server Error" : "OK";
  }
}

void Send(const restinio::request_handle_t& rh, const Response& r, bool head) {
  auto resp = rh->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(r.status)}, Reason(r.status)});
  if (!r.content_type.empty()) resp.append_header(restinio::http_field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) resp.append_header(k, v);
  if (!head && r.status != 204) resp.set_body(r.body);
  resp.done();
}

}  // namespace

bool ParseListen(const std::string& s, std::string& host, uint16_t& port) {
  auto colon = s.rfind(':');
  std::string h = colon == std::string::npos ? "" : s.substr(0, colon);
  std::string p = colon == std::string::npos ? s : s.substr(colon + 1);
  auto v = ParseInt(p);
  if (!v || *v <= 0 || *v > 65535) return false;
  host = h.empty() ? "127.0.0.1" : h;
  port = static_cast<uint16_t>(*v);
  return true;
}

void Serve(const ServerOptions& o, const Router& router, const Hooks& hooks) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium init failed");
  asio::io_context ioctx;
  asio::thread_pool workers(o.workers);
  std::atomic<long> inflight{0};
  std::atomic<uint64_t> counter{0};
  const std::string prefix = NewRequestPrefix();

  auto handler = [&](restinio::request_handle_t rh) -> restinio::request_handling_status_t {
    auto started = std::chrono::steady_clock::now();
    if (inflight.load() >= static_cast<long>(o.max_queue)) {
      Response busy = JsonResponse({{"error", {{"code", kUnavailable}, {"message", "系统繁忙，请稍后重试"}}}}, 503);
      busy.headers.emplace_back("Retry-After", "2");
      Send(rh, busy, false);
      return restinio::request_accepted();
    }
    ++inflight;
    std::string id = prefix + "-" + std::to_string(++counter);
    asio::post(workers, [&, rh, id, started] {
      Request req;
      req.method = std::string(rh->header().method().c_str());
      const auto& target = rh->header().request_target();
      std::string_view tv(target.data(), target.size());
      auto q = tv.find('?');
      req.path = UrlDecode(tv.substr(0, q), false);
      if (q != std::string_view::npos) req.query_string = std::string(tv.substr(q + 1));
      rh->header().for_each_field([&](const restinio::http_header_field_t& f) {
        req.headers.emplace_back(f.name(), f.value());
      });
      req.body = rh->body();
      req.remote = rh->remote_endpoint().address().to_string();
      if (o.trust_proxy && rh->remote_endpoint().address().is_loopback()) req.remote = ClientBehindProxy(req, req.remote);
      req.request_id = id;
      bool head = req.method == "HEAD";
      if (head) req.method = "GET";
      Response resp;
      try {
        resp = Dispatch(router, hooks, req);
      } catch (const std::exception& e) {
        spdlog::error("request {}: {}", id, e.what());
        resp = JsonResponse({{"error", {{"code", kInternal}, {"message", "服务器内部错误"}, {"request_id", id}}}}, 500);
      }
      resp.headers.emplace_back("X-Request-Id", id);
      try {
        Send(rh, resp, head);
      } catch (const std::exception& e) {
        spdlog::warn("request {}: could not send: {}", id, e.what());
      }
      if (o.access_log) {
        auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        spdlog::info("{} {} {} {} {} {:.1f}ms user={}", id, req.remote, req.method, req.path, resp.status, ms,
                     req.user ? req.user->login : "-");
      }
      --inflight;
    });
    return restinio::request_accepted();
  };

  using Settings = restinio::server_settings_t<Traits>;
  Settings settings;
  settings.port(o.port)
      .address(o.host)
      .request_handler(handler)
      .read_next_http_message_timelimit(std::chrono::seconds(o.timeout_seconds))
      .write_http_response_timelimit(std::chrono::seconds(o.timeout_seconds))
      .handle_request_timeout(std::chrono::seconds(o.timeout_seconds * 2))
      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(kTransportBodyLimit))
      .max_pipelined_requests(64);
  restinio::http_server_t<Traits> server{restinio::external_io_context(ioctx), std::move(settings)};

  std::exception_ptr failure;
  asio::signal_set signals(ioctx, SIGINT, SIGTERM);
  signals.async_wait([&](const asio::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping (finishing {} requests in flight)", sig, inflight.load());
    server.close_async(
        [&] {
          std::thread([&] {
            auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(o.timeout_seconds);
            while (inflight.load() > 0 && std::chrono::steady_clock::now() < deadline)
              std::this_thread::sleep_for(std::chrono::milliseconds(20));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the last responses flush
            ioctx.stop();
          }).detach();
        },
        [&](std::exception_ptr ex) {
          failure = ex;
          ioctx.stop();
        });
  });
  server.open_async(
      [&] {
        if (o.on_listening) o.on_listening();
      },
      [&](std::exception_ptr ex) {
        failure = ex;
        ioctx.stop();
      });

  std::vector<std::thread> io;
  for (unsigned i = 0; i < std::max(1u, o.io_threads); ++i) io.emplace_back([&] { ioctx.run(); });
  for (auto& t : io) t.join();
  workers.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace kehou::http
