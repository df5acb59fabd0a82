// Client: the state of one connection (selected db, protocol, name, auth, reply mode),
// owned by the worker thread that accepted it. Fields other threads read (CLIENT LIST,
// CLIENT KILL, INFO clients) are atomics or guarded by the client's own mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "src/protocol/request_parser.h"
#include "src/transaction.h"

struct event;

namespace cairn {

class Worker;

class Client {
 public:
  Client(uint64_t id, int fd, Worker* worker, std::string address, std::string local_address);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  uint64_t id() const { return id_; }
  int fd() const { return fd_; }
  Worker* worker() const { return worker_; }
  const std::string& address() const { return address_; }
  const std::string& local_address() const { return local_address_; }
  int64_t created_ms() const { return created_ms_; }

  int db() const { return db_.load(std::memory_order_relaxed); }
  void set_db(int db) { db_.store(db, std::memory_order_relaxed); }
  int protocol() const { return protocol_.load(std::memory_order_relaxed); }
  void set_protocol(int protocol) { protocol_.store(protocol, std::memory_order_relaxed); }
  bool authenticated() const { return authenticated_.load(std::memory_order_relaxed); }
  void set_authenticated(bool value) { authenticated_.store(value, std::memory_order_relaxed); }
  bool no_evict() const { return no_evict_.load(std::memory_order_relaxed); }
  void set_no_evict(bool value) { no_evict_.store(value, std::memory_order_relaxed); }
  bool is_monitor() const { return monitor_.load(std::memory_order_relaxed); }
  void set_monitor(bool value) { monitor_.store(value, std::memory_order_relaxed); }

  std::string name() const;
  void set_name(std::string name);
  std::string last_command() const;
  // `name` must outlive the client: the command table's names do.
  void set_last_command(const std::string* name) {
    last_command_.store(name, std::memory_order_relaxed);
  }
  int64_t last_interaction_ms() const { return last_interaction_ms_.load(); }
  void touch(int64_t now_ms) { last_interaction_ms_.store(now_ms, std::memory_order_relaxed); }

  // Sizes reported by CLIENT LIST / INFO clients; updated by the worker.
  size_t query_buffer_size() const { return query_buffer_size_.load(); }
  size_t output_buffer_size() const { return output_buffer_size_.load(); }

  // Reply suppression (CLIENT REPLY OFF/SKIP); only the owning worker touches it.
  bool replies_off = false;
  bool skip_next_reply = false;  // set by CLIENT REPLY SKIP, for the command after it
  bool skip_this_reply = false;
  // Set by QUIT, SHUTDOWN, CLIENT KILL of oneself: close once the pending output is written.
  bool close_after_reply = false;

  // The worker's I/O state for this connection.
  std::string query_buffer;
  size_t query_offset = 0;  // bytes of query_buffer already consumed by the parser
  std::string output_buffer;
  size_t output_offset = 0;  // bytes of output_buffer already written to the socket
  RequestParser parser;
  std::vector<std::string> args;  // the command being parsed/executed
  struct event* read_event = nullptr;
  struct event* write_event = nullptr;
  bool reading_paused = false;       // backpressure: too much unsent output
  bool waiting_for_unpause = false;  // CLIENT PAUSE holds the parsed command in args
  bool flush_queued = false;         // in its worker's flush queue for this loop pass
  int64_t output_soft_limit_since_ms = 0;

  // Pub/sub subscription counts by PubSubKind (channels, patterns, shard channels), kept by
  // PubSub (src/pubsub.h); atomics because CLIENT LIST reads them from other threads.
  std::atomic<size_t> pubsub_counts[3];
  // Bumped by every unsubscription, so that a message published before one can be checked
  // against the subscriptions still held when it is delivered.
  std::atomic<uint64_t> pubsub_epoch{0};

  // MULTI/EXEC/WATCH state; only the owning worker touches it.
  ClientTransaction transaction;

  // Blocking commands (src/blocking.h). `blocked` (CLIENT LIST, from any thread) is set while
  // the client waits in a key queue; the rest belong to the owning worker: `parked` holds the
  // client's input until its parked command has replied, `just_parked` tells the dispatcher
  // that the handler parked the client, `rerunning` that the command runs after a wake-up.
  std::atomic<bool> blocked{false};
  bool parked = false;
  bool just_parked = false;
  bool rerunning = false;

  void UpdateBufferSizes();

 private:
  const uint64_t id_;
  const int fd_;
  Worker* const worker_;
  const std::string address_;
  const std::string local_address_;
  const int64_t created_ms_;

  std::atomic<int> db_{0};
  std::atomic<int> protocol_{2};
  std::atomic<bool> authenticated_{false};
  std::atomic<bool> no_evict_{false};
  std::atomic<bool> monitor_{false};
  std::atomic<int64_t> last_interaction_ms_{0};
  std::atomic<size_t> query_buffer_size_{0};
  std::atomic<size_t> output_buffer_size_{0};

  mutable std::mutex mutex_;  // guards name_
  std::string name_;
  std::atomic<const std::string*> last_command_{nullptr};
};

}  // namespace cairn
