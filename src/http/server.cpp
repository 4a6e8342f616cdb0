// The only translation unit that includes RESTinio.
#include "http/server.h"

#include <http_parser.h>
#include <pthread.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <restinio/all.hpp>
#include <thread>

#include "core/text.h"
#include "http/trace_log.h"
#include "http/write_pool.h"

namespace kehou::http {
namespace {

using Traits = restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t>;
constexpr uint64_t kTransportBodyLimit = 64ull << 20;  // routes set their own, lower limits (413)
// Request line and headers: beyond kMaxHeaderBytes the request is answered 431. http_parser's own
// limit (80 KiB by default, where it drops the connection without an answer) is raised to
// kParserHeaderLimit so such requests reach us; only beyond that is the connection closed.
constexpr size_t kMaxHeaderBytes = 64 << 10;
constexpr uint32_t kParserHeaderLimit = 1 << 20;

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
    case 431: return "Request Header Fields Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return s >= 500 ? "Internal Server Error" : "OK";
  }
}

void Send(const restinio::request_handle_t& rh, const Response& r, bool head) {
  if (head) {
    // HEAD: the GET's headers, Content-Length included, and no body.
    auto resp = rh->create_response<restinio::user_controlled_output_t>(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(r.status)}, Reason(r.status)});
    if (!r.content_type.empty()) resp.append_header(restinio::http_field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) resp.append_header(k, v);
    if (r.status != 204 && r.status != 304) resp.set_content_length(r.body.size());
    resp.done();
    return;
  }
  auto resp = rh->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(r.status)}, Reason(r.status)});
  if (!r.content_type.empty()) resp.append_header(restinio::http_field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) resp.append_header(k, v);
  if (!head && r.status != 204) resp.set_body(r.body);
  resp.done();
}

}  // namespace

unsigned WriteWorkers(bool shared_commit, unsigned read_workers) {
  return shared_commit ? kSharedCommitWriteWorkers : std::max(1u, read_workers);
}

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

namespace {

// One request taken off the network thread: what the worker (or the write lane) needs.
struct Pending {
  restinio::request_handle_t rh;
  std::string id;
  std::chrono::steady_clock::time_point started;
};

Request ToRequest(const Pending& p, const ServerOptions& o, bool& head) {
  const auto& rh = p.rh;
  Request req;
  req.method = std::string(rh->header().method().c_str());
  const auto& target = rh->header().request_target();
  std::string_view tv(target.data(), target.size());
  auto q = tv.find('?');
  req.path = UrlDecode(tv.substr(0, q), false);
  if (q != std::string_view::npos) req.query_string = std::string(tv.substr(q + 1));
  rh->header().for_each_field(
      [&](const restinio::http_header_field_t& f) { req.headers.emplace_back(f.name(), f.value()); });
  req.body = rh->body();
  req.remote = rh->remote_endpoint().address().to_string();
  if (o.trust_proxy && rh->remote_endpoint().address().is_loopback()) req.remote = ClientBehindProxy(req, req.remote);
  req.request_id = p.id;
  head = req.method == "HEAD";
  if (head) req.method = "GET";
  return req;
}

Response Handle(const Router& router, const Hooks& hooks, Request& req, bool allow_defer = false) {
  try {
    return Dispatch(router, hooks, req, allow_defer);
  } catch (const std::exception& e) {
    spdlog::error("request {}: {}", req.request_id, e.what());
    return JsonResponse(
        {{"error",
          {{"code", ErrorCodeName(kInternal)}, {"message", "服务器内部错误"}, {"request_id", req.request_id}}}},
        500);
  }
}

void Finish(const Pending& p, const Request& req, Response& resp, bool head, const ServerOptions& o) {
  resp.headers.emplace_back("X-Request-Id", p.id);
  AddSecurityHeaders(req.path, resp);
  try {
    Send(p.rh, resp, head);
  } catch (const std::exception& e) {
    spdlog::warn("request {}: could not send: {}", p.id, e.what());
  }
  if (o.access_log) {
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - p.started).count();
    spdlog::info("{} {} {} {} {} {:.1f}ms user={}", p.id, req.remote, req.method, req.path, resp.status, ms,
                 req.user ? req.user->login : "-");
  }
}

// Names the calling thread (top -H, perf and gdb show it): kehou-io, -front, -lane, -slow.
void NameThread(const char* name) { (void)pthread_setname_np(pthread_self(), name); }

Response Busy(int retry_after_s) {
  Response busy =
      JsonResponse({{"error", {{"code", ErrorCodeName(kUnavailable)}, {"message", "系统繁忙，请稍后重试"}}}}, 503);
  busy.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
  return busy;
}

// A queue that one thread drains a whole batch at a time (the write lane and its front): one
// wake-up per batch, however many items the batch holds.
template <class T>
class Batches {
 public:
  void Push(T item) {
    {
      std::lock_guard l(mu_);
      queue_.push_back(std::move(item));
    }
    cv_.notify_one();
  }
  void PushAll(std::vector<T>& items) {
    if (items.empty()) return;
    {
      std::lock_guard l(mu_);
      for (auto& i : items) queue_.push_back(std::move(i));
    }
    items.clear();
    cv_.notify_one();
  }
  // Waits for items and takes them all into `out` (empty); false once closed and drained.
  bool Take(std::vector<T>& out) {
    std::unique_lock l(mu_);
    cv_.wait(l, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return false;
    out.swap(queue_);
    return true;
  }
  void Close() {
    {
      std::lock_guard l(mu_);
      closed_ = true;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<T> queue_;
  bool closed_ = false;
};

// A write-lane request whose handler has run on the lane front: what is left is its database part
// (Request::deferred). The Request stays at one address (the work may refer to it).
struct LaneItem {
  Pending p;
  std::unique_ptr<Request> req;
  bool head = false;
};

// The write lane: the database part of short writes (routes with RouteOptions::write_lane, e.g.
// taking a seat) runs on one thread, a batch at a time inside ONE shared database transaction
// (Hooks::shared_write): each request's writes are a savepoint in it, and all answers of the
// batch are sent after the single commit. Nothing is confirmed before it is durable; if the
// commit fails every request of the batch is answered 503 (retrying with the same idempotency
// key is safe). Parsing, authentication, rate limits and validation ran before, on the lane's
// front thread (LaneFront, Request::Defer), so the lane does only what must be serialised: the
// statements and the commit. Compared with the worker pool this saves one commit per request,
// which is where a selection-night rush spends its time on a small machine.
class WriteLane {
 public:
  WriteLane(const Hooks& hooks, const ServerOptions& o, std::atomic<long>& inflight)
      : hooks_(hooks), o_(o), inflight_(inflight), thread_([this] { Run(); }) {}
  ~WriteLane() {
    in_.Close();
    thread_.join();
  }
  void PushAll(std::vector<LaneItem>& items) { in_.PushAll(items); }

 private:
  void Run() {
    NameThread("kehou-lane");
    std::vector<LaneItem> batch;
    while (in_.Take(batch)) {
      size_t n = batch.size();
      std::vector<Response> resps(n);
      bool committed = false;
      try {
        committed = hooks_.shared_write([&] {
          for (size_t i = 0; i < n; ++i) resps[i] = RunDeferred(*batch[i].req);
        });
      } catch (const std::exception& e) {
        spdlog::error("write lane: batch of {} failed: {}", n, e.what());
      }
      if (!committed) {
        spdlog::warn("write lane: a batch of {} requests could not commit; answered 503", n);
        for (auto& r : resps) r = Busy(1);
      }
      for (size_t i = 0; i < n; ++i) {
        Finish(batch[i].p, *batch[i].req, resps[i], batch[i].head, o_);
        --inflight_;
      }
      batch.clear();
    }
  }

  const Hooks& hooks_;
  const ServerOptions& o_;
  std::atomic<long>& inflight_;
  Batches<LaneItem> in_;
  std::thread thread_;  // last: starts once the members above exist
};

// The lane's front: one thread that prepares write-lane requests, a batch at a time (whatever
// the network thread queued meanwhile): it runs each handler (parse, authenticate, rate-limit,
// validate; Request::Defer) and hands the prepared batch to the lane at once. Compared with a
// hop through the worker pool per request, a batch costs one wake-up each side, which on a
// small virtual machine is a good part of a request's cost. Answers that need no database
// (401, 429, 400) are sent from here.
class LaneFront {
 public:
  LaneFront(const Router& router, const Hooks& hooks, const ServerOptions& o, std::atomic<long>& inflight,
            WriteLane& lane)
      : router_(router), hooks_(hooks), o_(o), inflight_(inflight), lane_(lane), thread_([this] { Run(); }) {}
  ~LaneFront() {
    in_.Close();
    thread_.join();
  }
  void Push(Pending p) { in_.Push(std::move(p)); }

 private:
  void Run() {
    NameThread("kehou-front");
    std::vector<Pending> batch;
    std::vector<LaneItem> ready;
    while (in_.Take(batch)) {
      for (auto& p : batch) {
        LaneItem item{std::move(p), std::make_unique<Request>(), false};
        *item.req = ToRequest(item.p, o_, item.head);
        Response resp = Handle(router_, hooks_, *item.req, /*allow_defer=*/true);
        if (item.req->deferred) {
          ready.push_back(std::move(item));
        } else {
          Finish(item.p, *item.req, resp, item.head, o_);
          --inflight_;
        }
      }
      batch.clear();
      lane_.PushAll(ready);
    }
  }

  const Router& router_;
  const Hooks& hooks_;
  const ServerOptions& o_;
  std::atomic<long>& inflight_;
  WriteLane& lane_;
  Batches<Pending> in_;
  std::thread thread_;  // last: starts once the members above exist
};

// The slow pool: CPU-heavy requests (argon2 password checks, RouteOptions::slow) run on a few
// threads of their own at a lower scheduling priority, with a bounded queue. A login storm then
// uses the CPU the other requests leave over and never occupies the request workers.
class SlowPool {
 public:
  static constexpr unsigned kThreads = 2;
  static constexpr size_t kMaxQueued = 64;  // beyond: 503 with Retry-After at once
  static constexpr int kNice = 10;

  SlowPool(const Router& router, const Hooks& hooks, const ServerOptions& o, std::atomic<long>& inflight)
      : router_(router), hooks_(hooks), o_(o), inflight_(inflight) {
    for (unsigned i = 0; i < kThreads; ++i) threads_.emplace_back([this] { Run(); });
  }
  ~SlowPool() {
    {
      std::lock_guard l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  // False when the queue is full (the caller answers 503).
  bool Push(Pending& p) {
    {
      std::lock_guard l(mu_);
      if (queue_.size() >= kMaxQueued) return false;
      queue_.push_back(std::move(p));
    }
    cv_.notify_one();
    return true;
  }

 private:
  void Run() {
    // Linux: nice applies per thread. Failure (no permission) only loses the priority hint.
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kNice);
    NameThread("kehou-slow");
    for (;;) {
      Pending p;
      {
        std::unique_lock l(mu_);
        cv_.wait(l, [&] { return !queue_.empty() || stop_; });
        if (queue_.empty()) return;
        p = std::move(queue_.front());
        queue_.pop_front();
      }
      bool head = false;
      Request req = ToRequest(p, o_, head);
      Response resp = Handle(router_, hooks_, req);
      Finish(p, req, resp, head, o_);
      --inflight_;
    }
  }

  const Router& router_;
  const Hooks& hooks_;
  const ServerOptions& o_;
  std::atomic<long>& inflight_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// Refused at the door, before any work: the server is full (503), or the request's headers are too
// large (431). True when refused (the answer is sent).
bool RefusedAtDoor(const restinio::request_handle_t& rh, const std::atomic<long>& inflight, const ServerOptions& o) {
  if (inflight.load() >= static_cast<long>(o.max_queue)) {
    Response busy = Busy(2);
    Send(rh, busy, false);
    return true;
  }
  size_t header_bytes = rh->header().request_target().size();
  rh->header().for_each_field(
      [&](const restinio::http_header_field_t& f) { header_bytes += f.name().size() + f.value().size() + 4; });
  if (header_bytes <= kMaxHeaderBytes) return false;
  Response big = JsonResponse({{"error",
                                {{"code", ErrorCodeName(kTooLarge)},
                                 {"message", "请求头过大（上限 " + std::to_string(kMaxHeaderBytes >> 10) +
                                                 " KB），请清除浏览器 Cookie 后重试"}}}},
                              431);
  Send(rh, big, rh->header().method() == restinio::http_method_head());
  return true;
}

// A POST whose route runs on the shared write lane or in the slow pool goes to that queue (true; a
// full slow pool answers 503); everything else runs on the workers (false), a device's batch
// (RouteOptions::device_batch) marked so in `device_batch`.
bool Queued(Pending& p, const Router& router, std::optional<LaneFront>& front, SlowPool& slow,
            std::atomic<long>& inflight, bool& device_batch) {
  device_batch = false;
  if (p.rh->header().method() != restinio::http_method_post()) return false;
  const auto& target = p.rh->header().request_target();
  std::string_view tv(target.data(), target.size());
  std::map<std::string, std::string> params;
  const Route* route = router.Match("POST", UrlDecode(tv.substr(0, tv.find('?')), false), params);
  if (route && route->options.write_lane && front) {
    front->Push(std::move(p));
    return true;
  }
  if (route && route->options.slow) {
    if (!slow.Push(p)) {
      Response busy = Busy(1);
      Send(p.rh, busy, false);
      --inflight;
    }
    return true;
  }
  device_batch = route && route->options.device_batch;
  return false;
}

restinio::server_settings_t<Traits> Settings(const ServerOptions& o, restinio::default_request_handler_t handler) {
  restinio::server_settings_t<Traits> settings;
  settings.port(o.port)
      .address(o.host)
      .request_handler(std::move(handler))
      .read_next_http_message_timelimit(std::chrono::seconds(o.timeout_seconds))
      .write_http_response_timelimit(std::chrono::seconds(o.timeout_seconds))
      .handle_request_timeout(std::chrono::seconds(o.timeout_seconds * 2))
      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(kTransportBodyLimit))
      .max_pipelined_requests(64);
  return settings;
}

// On SIGINT or SIGTERM: closes the listener, waits (up to the timeout) for the requests in flight,
// lets the last responses flush, then stops the io context. Draining polls on the io context
// itself, never from a detached thread: such a thread could still be inside ioctx.stop() when
// Serve returns and destroys the context (a use-after-free that crashed one CI run on SIGTERM).
class GracefulStop {
 public:
  GracefulStop(asio::io_context& ioctx, restinio::http_server_t<Traits>& server, const std::atomic<long>& inflight,
               const ServerOptions& o, std::exception_ptr& failure)
      : ioctx_(ioctx),
        server_(server),
        inflight_(inflight),
        o_(o),
        failure_(failure),
        drain_(ioctx),
        signals_(ioctx, SIGINT, SIGTERM) {
    signals_.async_wait([this](const asio::error_code& ec, int sig) {
      if (ec) return;
      spdlog::info("signal {}: stopping (finishing {} requests in flight)", sig, inflight_.load());
      server_.close_async(
          [this] {
            asio::post(ioctx_, [this] {
              deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(o_.timeout_seconds);
              DrainStep();
            });
          },
          [this](std::exception_ptr ex) {
            failure_ = ex;
            ioctx_.stop();
          });
    });
  }

 private:
  void DrainStep() {
    if (inflight_.load() > 0 && std::chrono::steady_clock::now() < deadline_) {
      drain_.expires_after(std::chrono::milliseconds(20));
    } else {
      drain_.expires_after(std::chrono::milliseconds(100));  // let the last responses flush
      drain_.async_wait([this](const asio::error_code&) { ioctx_.stop(); });
      return;
    }
    drain_.async_wait([this](const asio::error_code& ec) {
      if (ec) return ioctx_.stop();
      DrainStep();
    });
  }

  asio::io_context& ioctx_;
  restinio::http_server_t<Traits>& server_;
  const std::atomic<long>& inflight_;
  const ServerOptions& o_;
  std::exception_ptr& failure_;
  asio::steady_timer drain_;
  asio::signal_set signals_;
  std::chrono::steady_clock::time_point deadline_;
};

// A failure to listen or to close, thrown again; a busy port said plainly (the caller exits non-zero).
void ThrowFailure(std::exception_ptr failure, const ServerOptions& o) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::system_error& e) {
    if (e.code() == asio::error::address_in_use || e.code() == std::errc::address_in_use)
      throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                               ": address in use (another process has this port; choose another --listen)");
    throw;
  }
}

}  // namespace

void Serve(const ServerOptions& o, const Router& router, const Hooks& hooks) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium init failed");
  asio::io_context ioctx;
  asio::thread_pool workers(o.workers);                          // reads
  const unsigned write_workers = std::max(1u, o.write_workers);  // the rest (see ServerOptions)
  // persons_first: persons' writes before devices' batches (PostgreSQL); else arrival order (SQLite).
  std::optional<WritePool> ordered;
  std::optional<asio::thread_pool> fifo;
  if (o.persons_first)
    ordered.emplace(write_workers,
                    DeviceBatchWorkers(o.device_batch_workers, write_workers, std::thread::hardware_concurrency()));
  else fifo.emplace(write_workers);
  std::atomic<long> inflight{0};
  std::atomic<uint64_t> counter{0};
  const std::string prefix = NewRequestPrefix();
  std::optional<WriteLane> lane;
  std::optional<LaneFront> front;
  if (hooks.shared_write) {
    lane.emplace(hooks, o, inflight);
    front.emplace(router, hooks, o, inflight, *lane);
  }
  SlowPool slow(router, hooks, o, inflight);
  TraceLog tracelog;

  auto handler = [&](restinio::request_handle_t rh) -> restinio::request_handling_status_t {
    auto started = std::chrono::steady_clock::now();
    if (RefusedAtDoor(rh, inflight, o)) return restinio::request_accepted();
    ++inflight;
    Pending p{std::move(rh), prefix + "-" + std::to_string(++counter), started};
    bool device_batch = false;
    if (Queued(p, router, front, slow, inflight, device_batch)) return restinio::request_accepted();
    const auto& method = p.rh->header().method();
    const bool read = method == restinio::http_method_get() || method == restinio::http_method_head();
    auto run = [&, p = std::move(p)] {
      bool head = false;
      db::trace::Record rec;
      const int64_t t_run = tracelog.on() ? db::trace::NowUs() : 0;
      if (t_run) db::trace::current = &rec;
      Request req = ToRequest(p, o, head);
      Response resp = Handle(router, hooks, req);
      const int64_t t_handled = t_run ? db::trace::NowUs() : 0;
      db::trace::current = nullptr;
      Finish(p, req, resp, head, o);
      if (t_run) tracelog.Write(req, resp.status, p.started, t_run, t_handled, rec);
      --inflight;
    };
    if (read) asio::post(workers, std::move(run));
    else if (ordered) ordered->Post(std::move(run), device_batch);
    else asio::post(*fifo, std::move(run));
    return restinio::request_accepted();
  };

  http_parser_set_max_header_size(kParserHeaderLimit);
  restinio::http_server_t<Traits> server{restinio::external_io_context(ioctx), Settings(o, handler)};
  std::exception_ptr failure;
  GracefulStop stop(ioctx, server, inflight, o, failure);
  server.open_async(
      [&] {
        if (o.on_listening) o.on_listening();
      },
      [&](std::exception_ptr ex) {
        failure = ex;
        ioctx.stop();
      });

  std::vector<std::thread> io;
  for (unsigned i = 0; i < std::max(1u, o.io_threads); ++i)
    io.emplace_back([&] {
      NameThread("kehou-io");
      ioctx.run();
    });
  for (auto& t : io) t.join();
  workers.join();
  if (ordered) ordered->Join();
  if (fifo) fifo->join();
  front.reset();
  lane.reset();
  // (the slow pool stops as it goes out of scope)
  if (failure) ThrowFailure(failure, o);
}

}  // namespace kehou::http
