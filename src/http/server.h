// server.h: runs the HTTP server (RESTinio, in server.cpp only). Network threads only parse and
// write; every request is handled on a bounded worker pool (blocking database work never runs
// on the network threads): reads (GET, HEAD) on the read workers, everything else on the write
// workers, so a read never queues behind writes waiting for their commit. On the write workers a
// person's write goes before the devices' queued batches, which never hold every write worker
// (persons_first; RouteOptions::device_batch, http/write_pool.h). Beyond max_queue waiting requests it answers
// 503 with Retry-After. SIGINT/SIGTERM: stop accepting, finish what is in flight, return.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "http/dispatch.h"

namespace kehou::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  unsigned io_threads = 1;
  unsigned workers = 8;  // reads (GET, HEAD): CPU-bound, about one per core
  // Writes (POST, PUT, PATCH, DELETE). On SQLite their threads mostly wait for the commit's flush
  // (fsync), not compute, and every write waiting together shares one commit (group commit), so
  // the batch, and with it the writes per flush, is bounded by this number (kehou serve: see
  // WriteWorkers).
  unsigned write_workers = 8;
  // At most this many write workers run device batches (RouteOptions::device_batch) at once; 0:
  // DeviceBatchWorkers(0, write_workers, the machine's cores), so a person's write always finds a
  // worker (issue 13 §7).
  unsigned device_batch_workers = 0;
  // False: the write workers take writes in arrival order, device batches like any other (kehou
  // serve on SQLite, where a batch only joins the writes' shared commit: 3 pairs measured no gain;
  // the plain thread pool of before).
  bool persons_first = true;
  unsigned max_queue = 2048;      // requests waiting for a worker before 503
  unsigned timeout_seconds = 30;  // read / write / handling time limits
  bool access_log = true;
  // Behind a reverse proxy on loopback (nginx): take the client address from X-Real-IP /
  // X-Forwarded-For, but only when the TCP peer is a loopback address.
  bool trust_proxy = false;
  std::function<void()> on_listening;  // called once the socket is open
};

// Blocks until SIGINT/SIGTERM. Throws if it cannot listen.
void Serve(const ServerOptions& options, const Router& router, const Hooks& hooks);

// kehou serve's write workers when --write-workers is not given. With one shared commit (SQLite's
// group commit) kSharedCommitWriteWorkers: the threads only wait, and more of them make bigger
// batches. Otherwise (PostgreSQL) as many as the read workers: each write thread is a busy
// backend on the same cores (session 15, quiet machine, dismissal peak, 7 pairs: 12 write workers
// instead of 4 made the guardians' status p99 216 ms against 21, roster saves 249 against 148 ms;
// under a load of 17-22 the 12 had looked better, so that default was reverted). They may
// outnumber the pool (bench_select runs --workers 128 on a pool of 16): those waiting for a
// connection keep every connection busy while the others compute, and a returned connection wakes
// one of them (session 14: capping them at the pool measured fewer writes/s, 1,385 / 1,564-2,213
// uncapped). Reads keep their own workers either way, so they never queue behind writes for a
// worker.
inline constexpr unsigned kSharedCommitWriteWorkers = 32;
unsigned WriteWorkers(bool shared_commit, unsigned read_workers);

// The write workers that may run device batches at once when --device-batch-workers is not given:
// one fewer than the write workers, so a person's write always finds one, and no more than the
// cores: a batch keeps its backend computing (kehou_ingest_swipes, ~2.4 ms of PostgreSQL CPU for 50
// swipes), so batches beyond the cores only share them, with each other and with the persons'
// writes. Session 23, dismissal peak on the 2-core machine (PostgreSQL beside the server), 3 runs
// each: 3 at once (4 write workers - 1) ingested 29,200-30,400 swipes/s with 0-4 roster saves over
// 20 ms in the gates' burst; 2 at once 33,200-35,600 with 0-1; 1 at once 17,700-19,300 (below
// the 20,000 target: one batch's round trips leave the cores idle). At least 1. `given`
// (ServerOptions::device_batch_workers, --device-batch-workers), when not 0, is the answer.
inline unsigned DeviceBatchWorkers(unsigned given, unsigned write_workers, unsigned cores) {
  if (given) return given;
  return std::max(1u, std::min(write_workers > 0 ? write_workers - 1 : 0u, std::max(1u, cores)));
}

// Parses "127.0.0.1:8080" / ":8080" / "8080".
bool ParseListen(const std::string& s, std::string& host, uint16_t& port);

}  // namespace kehou::http
