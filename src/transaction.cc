// Transactions: watch counters, per-connection MULTI state, and EXEC's lock-run-commit.
#include "src/transaction.h"

#include <functional>

#include "engine/keyspace.h"
#include "engine/storage.h"
#include "engine/transaction_batch.h"
#include "src/client.h"
#include "src/command.h"
#include "src/command_table/command_table.h"
#include "src/commands/arguments.h"
#include "src/dispatcher.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {

WatchTable::WatchTable() : counters_(std::make_unique<std::atomic<uint64_t>[]>(kCounters)) {}

size_t WatchTable::Index(int db, std::string_view key) const {
  size_t hash = std::hash<std::string_view>{}(key);
  hash ^= static_cast<size_t>(db) * 0x9e3779b97f4a7c15ull;
  hash ^= hash >> 31;
  return hash % kCounters;
}

void WatchTable::Touch(int db, std::string_view key) {
  // Nobody watching: WATCH reads a key's counter and registers under the key's lock, which
  // this writer holds too, so a write that skips the counter here precedes every WATCH.
  if (watched_names_.load(std::memory_order_acquire) == 0) return;
  counters_[Index(db, key)].fetch_add(1, std::memory_order_release);
}

uint64_t WatchTable::Version(int db, std::string_view key) const {
  return counters_[Index(db, key)].load(std::memory_order_acquire);
}

void WatchTable::Add(int db, const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  watched_[db][key]++;
  watched_names_.fetch_add(1, std::memory_order_release);
}

void WatchTable::Remove(int db, const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto db_it = watched_.find(db);
  if (db_it == watched_.end()) return;
  auto it = db_it->second.find(key);
  if (it == db_it->second.end()) return;
  watched_names_.fetch_sub(1, std::memory_order_release);
  if (--it->second == 0) db_it->second.erase(it);
  if (db_it->second.empty()) watched_.erase(db_it);
}

std::vector<std::string> WatchTable::WatchedIn(int db) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> keys;
  auto db_it = watched_.find(db);
  if (db_it == watched_.end()) return keys;
  for (const auto& entry : db_it->second) keys.push_back(entry.first);
  return keys;
}

void ClientTransaction::Queue(const CommandSpec& spec, const std::vector<std::string>& args) {
  queue_.push_back({&spec, args});
  if (spec.HasFlag(CommandFlag::kWrite) || spec.HasFlag(CommandFlag::kMayReplicate)) {
    queued_write_ = true;
  }
}

std::vector<QueuedCommand> ClientTransaction::End() {
  std::vector<QueuedCommand> queue;
  queue.swap(queue_);
  in_multi_ = false;
  has_errors_ = false;
  queued_write_ = false;
  return queue;
}

void ClientTransaction::Discard() {
  End();
  Unwatch();
}

bool ClientTransaction::IsWatching(int db, std::string_view key) const {
  for (const WatchedKey& watched : watched_) {
    if (watched.db == db && watched.key == key) return true;
  }
  return false;
}

void ClientTransaction::Watch(WatchTable* table, WatchedKey key) {
  table_ = table;
  table_->Add(key.db, key.key);
  watched_.push_back(std::move(key));
}

void ClientTransaction::Unwatch() {
  for (const WatchedKey& watched : watched_) table_->Remove(watched.db, watched.key);
  watched_.clear();
}

bool NeedsExclusiveLock(const CommandSpec& spec) {
  return spec.full_name == "flushall" || spec.full_name == "flushdb" || spec.full_name == "swapdb";
}

namespace {

bool ExistsIn(Server* server, int db, const std::string& key) {
  int64_t count = 0;
  return server->storage()
             .keyspace()
             .Exists(db, std::span<const std::string>(&key, 1), &count)
             .ok() &&
         count > 0;
}

// (db emptied, db replacing it or -1) for each db the command replaces.
std::vector<std::pair<int, int>> ReplacedDbs(Server* server, const CommandSpec& spec,
                                             const std::vector<std::string>& args, int db) {
  std::vector<std::pair<int, int>> replaced;
  int databases = server->storage().databases();
  if (spec.full_name == "flushdb") {
    replaced.emplace_back(db, -1);
  } else if (spec.full_name == "flushall") {
    for (int i = 0; i < databases; i++) replaced.emplace_back(i, -1);
  } else if (spec.full_name == "swapdb" && args.size() == 3) {
    int64_t a = 0;
    int64_t b = 0;
    if (ParseInt64(args[1], &a) && ParseInt64(args[2], &b) && a != b && a >= 0 && b >= 0 &&
        a < databases && b < databases) {
      replaced.emplace_back(static_cast<int>(a), static_cast<int>(b));
      replaced.emplace_back(static_cast<int>(b), static_cast<int>(a));
    }
  }
  return replaced;
}

}  // namespace

std::vector<std::pair<int, std::string>> WatchedKeysReplacedBy(Server* server,
                                                               const CommandSpec& spec,
                                                               const std::vector<std::string>& args,
                                                               int db) {
  std::vector<std::pair<int, std::string>> touched;
  for (const auto& [emptied, replacement] : ReplacedDbs(server, spec, args, db)) {
    for (std::string& key : server->watches().WatchedIn(emptied)) {
      // Like Redis: a watched key that exists on neither side (or only as an expired entry)
      // is not changed by the flush or swap.
      if (ExistsIn(server, emptied, key) ||
          (replacement >= 0 && ExistsIn(server, replacement, key))) {
        touched.emplace_back(emptied, std::move(key));
      }
    }
  }
  return touched;
}

namespace {

struct LockPlan {
  bool exclusive = false;
  std::vector<KeyLockRequest> keys;
};

// The locks EXEC takes: every key of every queued command, each in the db it will run in
// (SELECT inside the transaction moves the following commands), plus the watched keys.
LockPlan PlanLocks(Server* server, Client* client, const std::vector<QueuedCommand>& queue) {
  LockPlan plan;
  int db = client->db();
  for (const QueuedCommand& command : queue) {
    if (NeedsExclusiveLock(*command.spec)) plan.exclusive = true;
    for (size_t position : CommandTable::KeyPositions(*command.spec, command.args)) {
      plan.keys.push_back({db, command.args[position]});
    }
    int64_t selected = 0;
    if (command.spec->full_name == "select" && ParseInt64(command.args[1], &selected) &&
        selected >= 0 && selected < server->storage().databases()) {
      db = static_cast<int>(selected);
    }
  }
  for (const WatchedKey& watched : client->transaction.watched()) {
    plan.keys.push_back({watched.db, watched.key});
  }
  return plan;
}

// Whether a watched key changed since WATCH: its counter moved, or it expired meanwhile.
bool WatchesBroken(Server* server, const std::vector<WatchedKey>& watched) {
  uint64_t now = server->storage().NowMs();
  for (const WatchedKey& key : watched) {
    if (server->watches().Version(key.db, key.key) != key.version) return true;
    if (key.deadline_ms > 0 && static_cast<uint64_t>(key.deadline_ms) <= now) return true;
  }
  return false;
}

// Runs the queue inside one engine transaction; on a failed commit the replies are replaced
// by the error. Returns false when the commit failed.
bool RunQueue(CommandContext& context, const std::vector<QueuedCommand>& queue,
              std::string* commit_error) {
  std::string* output = context.reply->buffer();
  size_t reply_start = output->size();
  TransactionBatch batch(&context.server->storage());
  context.reply->ArrayHeader(queue.size());
  context.client->transaction.set_executing(true);
  for (const QueuedCommand& command : queue) {
    context.server->dispatcher().InvokeLocked(context.client, *command.spec, command.args, output);
  }
  context.client->transaction.set_executing(false);
  Status s = batch.Commit();
  if (s.ok()) return true;
  output->resize(reply_start);
  *commit_error = s.message();
  return false;
}

}  // namespace

void ExecuteTransaction(CommandContext& context) {
  Client* client = context.client;
  ClientTransaction& transaction = client->transaction;
  if (!transaction.in_multi()) {
    context.reply->Error("ERR EXEC without MULTI");
    return;
  }
  if (transaction.has_errors()) {
    transaction.Discard();
    context.reply->Error("EXECABORT Transaction discarded because of previous errors.");
    return;
  }
  std::vector<QueuedCommand> queue = transaction.End();
  Server* server = context.server;
  KeyLocks& locks = server->storage().locks();
  LockPlan plan = PlanLocks(server, client, queue);
  std::string commit_error;
  bool committed = true;
  {
    KeyLocks::SharedGuard shared;
    KeyLocks::ExclusiveGuard exclusive;
    KeyLockGuard key_guard;
    if (plan.exclusive) {
      exclusive = locks.LockExclusive();
    } else {
      shared = locks.LockShared();
      key_guard = locks.LockKeys(plan.keys);
    }
    bool broken = WatchesBroken(server, transaction.watched());
    transaction.Unwatch();
    if (broken) {
      context.reply->NullArray();
      return;
    }
    committed = RunQueue(context, queue, &commit_error);
  }
  if (!committed) {
    // Counts and the db mapping were updated as the commands ran; bring them back in line
    // with the disk while nothing else runs.
    auto exclusive = locks.LockExclusive();
    server->storage().ReloadCatalog();
    context.reply->Error(commit_error);
  }
}

}  // namespace cairn
