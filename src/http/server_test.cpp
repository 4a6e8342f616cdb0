// The server's worker pools against a real socket: a read (GET) is answered while every write
// worker waits (issue 13 §7: at the dismissal peak the guardians' status reads queued behind roster
// saves waiting for their commit), and on the write workers a person's write goes before the
// devices' queued batches, which never hold every write worker (issue 13 §7, session 18).
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "access/grants.h"

namespace kehou::http {
namespace {

uint16_t FreePort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
  close(s);
  return ntohs(a.sin_port);
}

// One request on its own connection; the status line, or "" after timeout_s without an answer.
std::string Call(uint16_t port, const std::string& method, const std::string& path, int timeout_s) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{timeout_s, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    if (send(s, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size())) {
      char buf[512];
      ssize_t n = recv(s, buf, sizeof buf, 0);
      if (n > 0) out.assign(buf, static_cast<size_t>(n));
    }
  }
  close(s);
  return out.substr(0, out.find("\r\n"));
}

// Handlers that wait until the test opens the gate (a write waiting for its commit, a batch holding
// its backend); entered counts those that reached it. Waits up to 2 s for n to have entered.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> entered{0};
  void Wait() {
    ++entered;
    std::unique_lock l(mu);
    cv.wait(l, [&] { return open; });
  }
  void Open() {
    {
      std::lock_guard l(mu);
      open = true;
    }
    cv.notify_all();
  }
  bool Entered(int n) {
    for (int i = 0; i < 200 && entered.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return entered.load() >= n;
  }
};

// Serve(r) with these workers on its own thread, on a free port, once it listens; stopped (SIGTERM) and
// joined when the test ends.
class RunningServer {
 public:
  RunningServer(Router& r, unsigned workers, unsigned write_workers, unsigned max_queue = ServerOptions{}.max_queue,
                unsigned device_batch_workers = 0) {
    o_.device_batch_workers = device_batch_workers;
    o_.workers = workers;
    o_.write_workers = write_workers;
    o_.max_queue = max_queue;
    o_.port = FreePort();
    o_.access_log = false;
    o_.on_listening = [this] { listening_.set_value(); };
    thread_ = std::thread([this, &r] { Serve(o_, r, hooks_); });
    ready_ = listening_.get_future().wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  }
  ~RunningServer() {
    std::raise(SIGTERM);  // Serve stops on SIGTERM
    thread_.join();
  }
  bool ready() const { return ready_; }
  uint16_t port() const { return o_.port; }

 private:
  ServerOptions o_;
  Hooks hooks_;
  std::promise<void> listening_;
  std::thread thread_;
  bool ready_ = false;
};

TEST(Server, AReadIsAnsweredWhileEveryWriteWorkerWaits) {
  Gate gate;
  Router r;
  r.Post("/api/v1/server-test/slow-write", Allow::Public(/*csrf_exempt=*/true), [&](Request&) {
    gate.Wait();  // a write waiting for its commit
    return JsonResponse({{"ok", true}});
  });
  r.Get("/api/v1/server-test/read", Allow::Public(), [](Request&) { return JsonResponse({{"ok", true}}); });
  RunningServer server(r, 2, 2);
  ASSERT_TRUE(server.ready());
  // More blocked writes than there are workers of either kind.
  std::vector<std::future<std::string>> writes;
  for (int i = 0; i < 4; ++i)
    writes.push_back(std::async(std::launch::async,
                                [&] { return Call(server.port(), "POST", "/api/v1/server-test/slow-write", 20); }));
  gate.Entered(2);
  EXPECT_EQ(gate.entered.load(), 2);
  EXPECT_EQ(Call(server.port(), "GET", "/api/v1/server-test/read", 3), "HTTP/1.1 200 OK");
  gate.Open();
  for (auto& w : writes) EXPECT_EQ(w.get(), "HTTP/1.1 200 OK");
}

// Session 17 measured the PostgreSQL dismissal peak: in its first second the 8 gates' swipe batches
// held all the write workers and the teachers' roll saves queued ~33 ms behind them. Device batches
// (RouteOptions::device_batch) now run on at most write_workers - 1 workers, so a person's write is
// answered while every other batch waits; beyond max_queue requests the server still answers 503.
TEST(Server, DeviceBatchesLeaveAWriteWorkerForAPerson) {
  Gate gate;
  Router r;
  r.Post("/api/v1/server-test/upload", Allow::Public(/*csrf_exempt=*/true),
         [&](Request&) {
           gate.Wait();  // a gate's batch holding its backend
           return JsonResponse({{"ok", true}});
         },
         {.device_batch = true});
  r.Post("/api/v1/server-test/write", Allow::Public(/*csrf_exempt=*/true), [](Request&) {
    return JsonResponse({{"ok", true}});
  });
  RunningServer server(r, 1, 2, 6);
  ASSERT_TRUE(server.ready());
  auto upload = [&] { return Call(server.port(), "POST", "/api/v1/server-test/upload", 20); };
  std::vector<std::future<std::string>> uploads;
  for (int i = 0; i < 4; ++i) uploads.push_back(std::async(std::launch::async, upload));
  gate.Entered(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // a second batch would have started by now
  EXPECT_EQ(gate.entered.load(), 1);                            // write_workers - 1; the other 3 wait
  EXPECT_EQ(Call(server.port(), "POST", "/api/v1/server-test/write", 3), "HTTP/1.1 200 OK");
  // The door still counts every request in flight: 4 uploads + 2 more reach max_queue (6).
  uploads.push_back(std::async(std::launch::async, upload));
  uploads.push_back(std::async(std::launch::async, upload));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(Call(server.port(), "POST", "/api/v1/server-test/write", 3), "HTTP/1.1 503 Service Unavailable");
  gate.Open();
  for (auto& u : uploads) EXPECT_EQ(u.get(), "HTTP/1.1 200 OK");
  EXPECT_EQ(gate.entered.load(), 6);
}

// With the only write worker busy, the queued writes run persons first — but a waiting batch goes
// after at most WritePool's 8 persons in a row (server.cpp), so a stream of persons never starves
// the gates, and every request is answered.
TEST(Server, PersonsGoBeforeQueuedDeviceBatchesWhichStillDrain) {
  Gate gate;
  std::mutex mu;  // order
  std::vector<std::string> order;
  Router r;
  r.Post("/api/v1/server-test/hold", Allow::Public(/*csrf_exempt=*/true), [&](Request&) {
    gate.Wait();
    return JsonResponse({{"ok", true}});
  });
  auto record = [&](Request& req) {
    std::lock_guard l(mu);
    order.push_back(req.query_string);
    return JsonResponse({{"ok", true}});
  };
  r.Post("/api/v1/server-test/upload", Allow::Public(/*csrf_exempt=*/true), record, {.device_batch = true});
  r.Post("/api/v1/server-test/write", Allow::Public(/*csrf_exempt=*/true), record);
  RunningServer server(r, 1, 1);
  ASSERT_TRUE(server.ready());
  std::vector<std::future<std::string>> calls;
  auto send = [&](const std::string& path) {
    calls.push_back(std::async(std::launch::async, [&server, path] { return Call(server.port(), "POST", path, 20); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(40));  // queued in this order
  };
  send("/api/v1/server-test/hold");
  ASSERT_TRUE(gate.Entered(1));
  send("/api/v1/server-test/upload?b0");
  send("/api/v1/server-test/upload?b1");
  for (int i = 0; i < 10; ++i) send("/api/v1/server-test/write?p" + std::to_string(i));
  gate.Open();
  for (auto& c : calls) EXPECT_EQ(c.get(), "HTTP/1.1 200 OK");
  const std::vector<std::string> expected = {"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "b0", "p8", "p9", "b1"};
  EXPECT_EQ(order, expected);
}

// Session 24: on the dismissal peak's 2 cores a roll save that started beside two gates' batches
// shared the machine with both. A batch now also waits to start while the writes already running
// fill the batch workers (the cores by default): with 2 of 4 write workers for batches, a person's
// write leaves room for one batch; when it ends the second starts.
TEST(Server, APersonsRunningWriteHoldsBackABatchBeyondTheCap) {
  Gate person, batches;
  Router r;
  r.Post("/api/v1/server-test/write", Allow::Public(/*csrf_exempt=*/true), [&](Request&) {
    person.Wait();
    return JsonResponse({{"ok", true}});
  });
  r.Post("/api/v1/server-test/upload", Allow::Public(/*csrf_exempt=*/true),
         [&](Request&) {
           batches.Wait();
           return JsonResponse({{"ok", true}});
         },
         {.device_batch = true});
  RunningServer server(r, 1, 4, ServerOptions{}.max_queue, 2);
  ASSERT_TRUE(server.ready());
  auto write =
      std::async(std::launch::async, [&] { return Call(server.port(), "POST", "/api/v1/server-test/write", 20); });
  ASSERT_TRUE(person.Entered(1));
  std::vector<std::future<std::string>> uploads;
  for (int i = 0; i < 2; ++i)
    uploads.push_back(
        std::async(std::launch::async, [&] { return Call(server.port(), "POST", "/api/v1/server-test/upload", 20); }));
  ASSERT_TRUE(batches.Entered(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // the second would have started by now
  EXPECT_EQ(batches.entered.load(), 1);                         // a write worker is free, but 1 + 1 = 2
  person.Open();
  EXPECT_EQ(write.get(), "HTTP/1.1 200 OK");
  EXPECT_TRUE(batches.Entered(2));  // with no person running, both batch workers
  batches.Open();
  for (auto& u : uploads) EXPECT_EQ(u.get(), "HTTP/1.1 200 OK");
}

// kehou serve's write workers by database: SQLite's shared commit wants many waiting writes;
// PostgreSQL as many as the read workers (each is a busy backend on the same cores; its pool wakes
// one waiter per returned connection, db_test DbPool.AReturnedConnectionWakesOneWaiterNotAll).
TEST(Server, WriteWorkersByDatabase) {
  EXPECT_EQ(WriteWorkers(/*shared_commit=*/true, 4), kSharedCommitWriteWorkers);
  EXPECT_EQ(WriteWorkers(true, 128), kSharedCommitWriteWorkers);
  EXPECT_EQ(WriteWorkers(false, 4), 4u);  // the daily peak's defaults
  EXPECT_EQ(WriteWorkers(false, 128), 128u);
  EXPECT_EQ(WriteWorkers(false, 0), 1u);
}

// The write workers that may run device batches at once by default: one fewer than the write
// workers (a person's write always finds one), and no more than the cores (each batch keeps a
// backend computing); at least one.
TEST(Server, DeviceBatchWorkersLeaveAWorkerAndStayWithinTheCores) {
  EXPECT_EQ(DeviceBatchWorkers(0, 4, 2), 2u);  // the daily peak's defaults on the 2-core machine
  EXPECT_EQ(DeviceBatchWorkers(0, 4, 8), 3u);
  EXPECT_EQ(DeviceBatchWorkers(0, 128, 16), 16u);
  EXPECT_EQ(DeviceBatchWorkers(0, 2, 8), 1u);
  EXPECT_EQ(DeviceBatchWorkers(0, 1, 8), 1u);
  EXPECT_EQ(DeviceBatchWorkers(0, 4, 0), 1u);  // hardware_concurrency() unknown
  EXPECT_EQ(DeviceBatchWorkers(0, 0, 2), 1u);
  EXPECT_EQ(DeviceBatchWorkers(3, 4, 2), 3u);  // --device-batch-workers 3
}

}  // namespace
}  // namespace kehou::http
