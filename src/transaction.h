// Transactions (MULTI/EXEC/DISCARD/WATCH): the per-connection state (queued commands, watched
// keys), the server-wide WatchTable that detects changes to watched keys, and EXEC itself.
//
// WATCH is optimistic and costs writers O(1): every change to a key (KeyBatch reports it
// through Storage's key-modified callback, under the key's lock) bumps one counter in a
// fixed array indexed by hash(db, key); WATCH records the counter and the key's deadline,
// and EXEC, holding the locks of the watched keys, aborts if a counter moved or a deadline
// passed. Colliding keys can only cause extra aborts. FLUSHDB/FLUSHALL/SWAPDB touch the
// watched keys they change, found through the table's registry of watched names.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cairn {

class Server;
struct CommandContext;
struct CommandSpec;

class WatchTable {
 public:
  WatchTable();

  // Records a change to (db, key). The caller holds the key's lock.
  void Touch(int db, std::string_view key);
  // The change counter of (db, key); read under the key's lock.
  uint64_t Version(int db, std::string_view key) const;

  // The registry of watched names (one entry per watching client).
  void Add(int db, const std::string& key);
  void Remove(int db, const std::string& key);
  std::vector<std::string> WatchedIn(int db) const;

 private:
  static constexpr size_t kCounters = size_t{1} << 16;
  size_t Index(int db, std::string_view key) const;

  std::unique_ptr<std::atomic<uint64_t>[]> counters_;
  mutable std::mutex mutex_;
  std::unordered_map<int, std::unordered_map<std::string, size_t>> watched_;
  std::atomic<size_t> watched_names_{0};  // Add()s not yet Remove()d
};

struct QueuedCommand {
  const CommandSpec* spec;
  std::vector<std::string> args;
};

struct WatchedKey {
  int db;
  std::string key;
  uint64_t version;     // WatchTable::Version when WATCH ran
  int64_t deadline_ms;  // the key's deadline if it existed with one, else 0
};

// One connection's transaction state; only its worker touches it.
class ClientTransaction {
 public:
  ClientTransaction() = default;
  ~ClientTransaction() { Unwatch(); }
  ClientTransaction(const ClientTransaction&) = delete;
  ClientTransaction& operator=(const ClientTransaction&) = delete;

  bool in_multi() const { return in_multi_; }
  void Begin() { in_multi_ = true; }
  void Queue(const CommandSpec& spec, const std::vector<std::string>& args);
  // A command was rejected while queuing: EXEC will answer EXECABORT.
  void FlagError() { has_errors_ = true; }
  bool has_errors() const { return has_errors_; }
  // Whether a queued command may write (CLIENT PAUSE WRITE holds such an EXEC).
  bool queued_write() const { return queued_write_; }
  // Leaves MULTI, handing over the queue.
  std::vector<QueuedCommand> End();
  // Leaves MULTI, dropping the queue and every watch.
  void Discard();

  // True while EXEC runs the queue (Redis's CLIENT_DENY_BLOCKING during EXEC).
  bool executing() const { return executing_; }
  void set_executing(bool executing) { executing_ = executing; }

  bool IsWatching(int db, std::string_view key) const;
  void Watch(WatchTable* table, WatchedKey key);
  void Unwatch();
  const std::vector<WatchedKey>& watched() const { return watched_; }

 private:
  bool in_multi_ = false;
  bool has_errors_ = false;
  bool queued_write_ = false;
  bool executing_ = false;
  std::vector<QueuedCommand> queue_;
  WatchTable* table_ = nullptr;
  std::vector<WatchedKey> watched_;
};

// FLUSHALL, FLUSHDB and SWAPDB run under the exclusive server lock.
bool NeedsExclusiveLock(const CommandSpec& spec);

// The watched keys a FLUSHDB/FLUSHALL/SWAPDB about to run (in client db `db`) changes: those
// that exist in a db it empties or in the db that replaces it. Call under the exclusive server
// lock before the command; touch them once it succeeded. Empty for any other command.
std::vector<std::pair<int, std::string>> WatchedKeysReplacedBy(Server* server,
                                                               const CommandSpec& spec,
                                                               const std::vector<std::string>& args,
                                                               int db);

// EXEC: checks the watches and runs the queued commands under all their key locks at once,
// committing their writes as one batch. Called without any lock held.
void ExecuteTransaction(CommandContext& context);

}  // namespace cairn
