// BlockingManager: the FIFO queues of parked clients per key, their wake-ups, timeouts,
// CLIENT UNBLOCK and disconnect cleanup.
#include "src/blocking.h"

#include <climits>
#include <utility>

#include "encoding/metadata.h"
#include "encoding/number_text.h"
#include "engine/keyspace.h"
#include "engine/status.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/dispatcher.h"
#include "src/network/worker.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"
#include "src/time_util.h"

namespace cairn {
namespace {

constexpr char kErrUnblocked[] = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

}  // namespace

bool ParseBlockingTimeout(CommandContext& context, std::string_view text, int64_t* deadline_ms) {
  long double seconds = 0;
  if (!ParseLongDouble(text, &seconds)) {
    context.reply->Error("ERR timeout is not a float or out of range");
    return false;
  }
  long double milliseconds = seconds * 1000.0L;
  // Redis casts to long long; on x86 a value out of range becomes LLONG_MIN, so Redis calls
  // huge (and infinite) timeouts negative.
  constexpr long double kLimit = 9223372036854775808.0L;
  int64_t timeout = milliseconds >= -kLimit && milliseconds < kLimit
                        ? static_cast<int64_t>(milliseconds)
                        : INT64_MIN;
  if (timeout < 0) {
    context.reply->Error("ERR timeout is negative");
    return false;
  }
  int64_t now = NowMs();
  // Redis's now + timeout wraps for the largest values and never fires: the same as none.
  *deadline_ms = timeout == 0 || timeout > INT64_MAX - now ? 0 : now + timeout;
  return true;
}

bool MayBlock(const CommandContext& context) { return !context.client->transaction.executing(); }

bool IsBlockedRetry(const CommandContext& context) { return context.client->rerunning; }

std::vector<std::string> KeysToRetry(CommandContext& context, std::span<const std::string> keys,
                                     ValueType type) {
  std::vector<std::string> usable;
  Keyspace& keyspace = context.server->storage().keyspace();
  for (const std::string& key : keys) {
    ValueType found = type;
    Status status = keyspace.Type(context.client->db(), key, &found);
    if (status.IsNotFound() || (status.ok() && found == type)) usable.push_back(key);
  }
  return usable;
}

void BlockForKeys(CommandContext& context, std::span<const std::string> keys, int64_t deadline_ms) {
  context.server->blocking().Block(context, keys, deadline_ms);
}

std::string BlockingManager::QueueName(int db, std::string_view key) {
  std::string name = std::to_string(db);
  name.push_back(':');
  name.append(key);
  return name;
}

void BlockingManager::Block(CommandContext& context, std::span<const std::string> keys,
                            int64_t deadline_ms) {
  Client* client = context.client;
  client->just_parked = true;
  client->parked = true;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = waiters_.find(client->id());
  if (it != waiters_.end()) {
    if (it->second->state == State::kRetrying) return ReparkLocked(it->second.get());
    RemoveLocked(it->second.get());  // cannot happen: a parked client runs no command
  }
  AddWaiterLocked(context, keys, deadline_ms);
}

void BlockingManager::AddWaiterLocked(CommandContext& context, std::span<const std::string> keys,
                                      int64_t deadline_ms) {
  Client* client = context.client;
  auto owned = std::make_unique<Waiter>();
  Waiter* waiter = owned.get();
  waiter->client = client;
  waiter->worker = client->worker();
  waiter->block_id = ++next_block_id_;
  waiter->db = client->db();
  waiter->args = context.args;
  waiter->deadline_ms = deadline_ms;
  waiter->drop_reply = client->skip_this_reply;
  for (const std::string& key : keys) {
    std::string name = QueueName(waiter->db, key);
    bool seen = false;
    for (const std::string& existing : waiter->queue_names) seen = seen || existing == name;
    if (seen) continue;
    KeyQueue& queue = queues_[name];
    waiter->positions.push_back(queue.waiters.insert(queue.waiters.end(), waiter));
    waiter->queue_names.push_back(std::move(name));
  }
  if (deadline_ms != 0) timeouts_.emplace(waiter->worker->index(), deadline_ms, client->id());
  client->blocked.store(true, std::memory_order_relaxed);
  waiters_.emplace(client->id(), std::move(owned));
  // Writers read this under the lock of a key this client waits on, which the caller holds.
  blocked_count_.fetch_add(1);
}

void BlockingManager::ReparkLocked(Waiter* waiter) {
  waiter->state = State::kParked;
  waiter->wake_pending = false;
  for (const std::string& name : waiter->queue_names) MaybeWakeHeadLocked(queues_[name]);
}

void BlockingManager::MaybeWakeHeadLocked(KeyQueue& queue) {
  if (!queue.touched || queue.waiters.empty()) return;
  Waiter* head = queue.waiters.front();
  if (head->wake_pending) return;  // it sees the change when its retry runs or passes it on
  queue.touched = false;
  WakeLocked(head);
}

void BlockingManager::WakeLocked(Waiter* waiter) {
  waiter->wake_pending = true;
  Worker* worker = waiter->worker;
  uint64_t client_id = waiter->client->id();
  uint64_t block_id = waiter->block_id;
  worker->Post([this, worker, client_id, block_id] { Retry(worker, client_id, block_id); });
}

void BlockingManager::RemoveLocked(Waiter* waiter) {
  for (size_t i = 0; i < waiter->queue_names.size(); ++i) {
    auto it = queues_.find(waiter->queue_names[i]);
    KeyQueue& queue = it->second;
    queue.waiters.erase(waiter->positions[i]);
    if (queue.waiters.empty()) {
      queues_.erase(it);
      continue;
    }
    // A woken waiter that leaves hands its wake-up to the next in line.
    if (waiter->wake_pending) queue.touched = true;
    MaybeWakeHeadLocked(queue);
  }
  uint64_t client_id = waiter->client->id();
  if (waiter->deadline_ms != 0) {
    timeouts_.erase({waiter->worker->index(), waiter->deadline_ms, client_id});
  }
  waiter->client->blocked.store(false, std::memory_order_relaxed);
  blocked_count_.fetch_sub(1);
  waiters_.erase(client_id);
}

BlockingManager::Waiter* BlockingManager::FindLocked(uint64_t client_id, uint64_t block_id) {
  auto it = waiters_.find(client_id);
  if (it == waiters_.end() || it->second->block_id != block_id) return nullptr;
  return it->second.get();
}

BlockingManager::Ending BlockingManager::EndingFor(const Waiter& waiter,
                                                   UnblockReason reason) const {
  return Ending{waiter.worker, waiter.client->id(), waiter.args, reason, waiter.drop_reply};
}

void BlockingManager::KeyModified(int db, std::string_view key) {
  if (blocked_count_.load() == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = queues_.find(QueueName(db, key));
  if (it == queues_.end()) return;
  it->second.touched = true;
  MaybeWakeHeadLocked(it->second);
}

void BlockingManager::WakeAll() {
  if (blocked_count_.load() == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [name, queue] : queues_) {
    queue.touched = true;
    MaybeWakeHeadLocked(queue);
  }
}

bool BlockingManager::Unblock(uint64_t client_id, UnblockReason reason) {
  Ending ending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = waiters_.find(client_id);
    if (it == waiters_.end()) return false;
    Waiter* waiter = it->second.get();
    if (waiter->state == State::kRetrying) {
      // Its worker is running the command again right now; it ends it once that parks.
      if (!waiter->unblock_requested) waiter->unblock_requested = reason;
      return true;
    }
    ending = EndingFor(*waiter, reason);
    RemoveLocked(waiter);
  }
  Worker* worker = ending.worker;
  worker->Post([this, ending = std::move(ending)] { Finish(ending); });
  return true;
}

void BlockingManager::ClientClosed(Client* client) {
  if (!client->parked) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = waiters_.find(client->id());
  if (it != waiters_.end()) RemoveLocked(it->second.get());
}

void BlockingManager::FireTimeouts(Worker* worker, int64_t now_ms) {
  if (blocked_count_.load() == 0) return;
  std::vector<Ending> endings;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = timeouts_.lower_bound({worker->index(), INT64_MIN, 0});
    while (it != timeouts_.end() && std::get<0>(*it) == worker->index() &&
           std::get<1>(*it) <= now_ms) {
      uint64_t client_id = std::get<2>(*it);
      ++it;  // RemoveLocked erases the entry just passed
      Waiter* waiter = waiters_.at(client_id).get();
      if (waiter->state == State::kRetrying) continue;
      endings.push_back(EndingFor(*waiter, UnblockReason::kTimeout));
      RemoveLocked(waiter);
    }
  }
  for (const Ending& ending : endings) Finish(ending);
}

size_t BlockingManager::clients_in_timeout_table() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return timeouts_.size();
}

void BlockingManager::Retry(Worker* worker, uint64_t client_id, uint64_t block_id) {
  Client* client = worker->FindClient(client_id);
  if (client == nullptr) return;
  Waiter* waiter = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    waiter = FindLocked(client_id, block_id);
    if (waiter == nullptr) return;
    waiter->state = State::kRetrying;
  }
  // Only this thread removes a retrying waiter, so *waiter outlives the command.
  size_t reply_start = client->output_buffer.size();
  client->rerunning = true;
  server_->dispatcher().Rerun(client, waiter->args);
  client->rerunning = false;
  bool served = false;
  bool drop_reply = false;
  std::optional<Ending> ending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    drop_reply = waiter->drop_reply;
    if (waiter->state == State::kRetrying) {
      served = true;  // the command replied instead of parking again
      RemoveLocked(waiter);
    } else if (waiter->unblock_requested) {
      ending = EndingFor(*waiter, *waiter->unblock_requested);
      RemoveLocked(waiter);
    }
  }
  if (ending) return Finish(*ending);
  if (!served) return;
  if (drop_reply || client->replies_off) client->output_buffer.resize(reply_start);
  Resume(worker, client);
}

void BlockingManager::Finish(const Ending& ending) {
  Client* client = ending.worker->FindClient(ending.client_id);
  if (client == nullptr) return;
  size_t reply_start = client->output_buffer.size();
  ReplyBuilder reply(&client->output_buffer, client->protocol());
  bool failed = ending.reason == UnblockReason::kError;
  if (failed) {
    reply.Error(kErrUnblocked);
  } else {
    reply.NullArray();
  }
  server_->dispatcher().AccountUnblocked(client, ending.args, failed);
  if (ending.drop_reply || client->replies_off) client->output_buffer.resize(reply_start);
  Resume(ending.worker, client);
}

void BlockingManager::Resume(Worker* worker, Client* client) {
  client->parked = false;
  worker->ResumeInput(client);
}

}  // namespace cairn
