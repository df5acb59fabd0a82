// Blocking commands (BLPOP, BLMOVE, BZPOPMIN, ...): a command that finds none of its keys
// ready parks its connection here instead of holding its worker thread, and runs again when
// one of those keys changes.
//
// How a wake-up works: Storage reports every key a write changes (before the write commits,
// under the key's lock). If a client waits on that key, the longest-waiting one (the head of
// the key's FIFO queue) is woken: a retry is posted to its own worker, which takes the key
// locks the normal way (so it runs after the writer committed) and runs the command again.
// A retry that finds nothing parks the client again at its original place in every queue.
// Only one waiter per key is woken at a time; a change seen while the head is already woken
// marks the key, and when that head is done (served, timed out, gone) the next head is woken.
// The served client's own pop changes the key too, so a push of N elements serves N waiters
// one after another, in the order they blocked.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace cairn {

enum class ValueType : uint8_t;
class Client;
class Server;
class Worker;
struct CommandContext;

// Redis 7.0's getTimeoutFromObjectOrReply in seconds: a long double, "ERR timeout is not a
// float or out of range" / "ERR timeout is negative" (also for values whose milliseconds do
// not fit a long long, as Redis's cast gives). Sets *deadline_ms to the absolute deadline,
// or 0 to wait forever (timeout 0, or below one millisecond as in Redis). False after
// replying the error.
bool ParseBlockingTimeout(CommandContext& context, std::string_view text, int64_t* deadline_ms);

// Inside MULTI/EXEC a blocking command acts as its non-blocking form: it must not park.
bool MayBlock(const CommandContext& context);

// True while a parked command runs again after a wake-up. Redis 7.0 leaves a client blocked
// when a key it waits on turns into another type, so a retry skips such keys instead of
// answering WRONGTYPE.
bool IsBlockedRetry(const CommandContext& context);

// The keys of `keys` a retry looks at: those missing or holding `type`.
std::vector<std::string> KeysToRetry(CommandContext& context, std::span<const std::string> keys,
                                     ValueType type);

// Parks the calling client until a key of `keys` (in the client's db) changes or the
// deadline (0: none) passes; the handler writes no reply. The caller holds the keys' locks.
// On a retry it re-parks the client where it was.
void BlockForKeys(CommandContext& context, std::span<const std::string> keys, int64_t deadline_ms);

class BlockingManager {
 public:
  enum class UnblockReason { kTimeout, kError };

  explicit BlockingManager(Server* server) : server_(server) {}
  BlockingManager(const BlockingManager&) = delete;
  BlockingManager& operator=(const BlockingManager&) = delete;

  void Block(CommandContext& context, std::span<const std::string> keys, int64_t deadline_ms);

  // Storage's key-modified hook; one atomic load when nobody is blocked.
  void KeyModified(int db, std::string_view key);
  // Every waiter looks again (SWAPDB replaces whole databases).
  void WakeAll();

  // CLIENT UNBLOCK from any thread: false if the client is not blocked.
  bool Unblock(uint64_t client_id, UnblockReason reason);

  // Called by the client's worker, on its thread.
  void ClientClosed(Client* client);
  void FireTimeouts(Worker* worker, int64_t now_ms);

  // INFO clients: blocked_clients and clients_in_timeout_table.
  size_t blocked_clients() const { return blocked_count_.load(std::memory_order_relaxed); }
  size_t clients_in_timeout_table() const;

 private:
  enum class State { kParked, kRetrying };
  struct Waiter;
  struct KeyQueue {
    std::list<Waiter*> waiters;  // in blocking order
    bool touched = false;        // changed since its head was last woken
  };
  struct Waiter {
    Client* client;
    Worker* worker;
    uint64_t block_id;
    int db;
    std::vector<std::string> queue_names;  // distinct
    std::vector<std::list<Waiter*>::iterator> positions;
    std::vector<std::string> args;  // the command to run again
    int64_t deadline_ms;
    bool drop_reply;  // CLIENT REPLY SKIP/OFF applied when the command first ran
    State state = State::kParked;
    bool wake_pending = false;  // a retry is posted or running
    std::optional<UnblockReason> unblock_requested;
  };
  // What is left to do for a waiter that is gone from the queues.
  struct Ending {
    Worker* worker;
    uint64_t client_id;
    std::vector<std::string> args;
    UnblockReason reason;
    bool drop_reply;
  };

  static std::string QueueName(int db, std::string_view key);
  Waiter* FindLocked(uint64_t client_id, uint64_t block_id);
  void AddWaiterLocked(CommandContext& context, std::span<const std::string> keys,
                       int64_t deadline_ms);
  void ReparkLocked(Waiter* waiter);
  void MaybeWakeHeadLocked(KeyQueue& queue);
  void WakeLocked(Waiter* waiter);
  // Drops the waiter from every queue, passing a pending wake-up on to the next heads.
  void RemoveLocked(Waiter* waiter);
  Ending EndingFor(const Waiter& waiter, UnblockReason reason) const;

  // On the waiter's worker thread.
  void Retry(Worker* worker, uint64_t client_id, uint64_t block_id);
  void Finish(const Ending& ending);
  void Resume(Worker* worker, Client* client);

  Server* const server_;
  std::atomic<size_t> blocked_count_{0};
  uint64_t next_block_id_ = 0;
  mutable std::mutex mutex_;
  std::unordered_map<uint64_t, std::unique_ptr<Waiter>> waiters_;  // by client id
  std::unordered_map<std::string, KeyQueue> queues_;
  // (worker index, deadline, client id) of waiters with a deadline, soonest first per worker.
  std::set<std::tuple<int, int64_t, uint64_t>> timeouts_;
};

}  // namespace cairn
