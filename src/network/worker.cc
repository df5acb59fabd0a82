// Worker: the per-thread event loop that reads requests, runs commands and writes replies.
#include "src/network/worker.h"

#include <errno.h>
#include <event2/event.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "engine/storage.h"
#include "src/blocking.h"
#include "src/client.h"
#include "src/client_registry.h"
#include "src/config/config.h"
#include "src/dispatcher.h"
#include "src/logging.h"
#include "src/protocol/command_peek.h"
#include "src/protocol/reply_builder.h"
#include "src/pubsub.h"
#include "src/server.h"
#include "src/stats.h"
#include "src/time_util.h"

namespace cairn {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// Past this much unsent output a client's input is left unread until the output drains:
// a client that pipelines without reading its replies cannot make the server buffer
// without bound.
constexpr size_t kOutputBackpressureBytes = 4 * 1024 * 1024;
constexpr timeval kTickInterval = {0, 10 * 1000};

}  // namespace

Worker::Worker(Server* server, int index)
    : server_(server), index_(index), read_buffer_(new char[kReadChunk]) {
  base_ = event_base_new();
  tasks_event_ = event_new(base_, -1, EV_PERSIST, &Worker::OnTasks, this);
  event_add(tasks_event_, nullptr);
  timer_event_ = event_new(base_, -1, EV_PERSIST, &Worker::OnTimer, this);
  event_add(timer_event_, &kTickInterval);
}

Worker::~Worker() {
  Stop();
  if (tasks_event_ != nullptr) event_free(tasks_event_);
  if (timer_event_ != nullptr) event_free(timer_event_);
  if (base_ != nullptr) event_base_free(base_);
}

void Worker::Start() {
  thread_ = std::thread([this] { RunLoop(); });
}

void Worker::RunLoop() {
  while (!stopping_.load(std::memory_order_relaxed)) {
    // One pass: wait for events, run every callback that is ready, then send the replies.
    event_base_loop(base_, EVLOOP_ONCE | EVLOOP_NO_EXIT_ON_EMPTY);
    FlushQueued();
  }
}

void Worker::Stop() {
  if (!thread_.joinable()) return;
  Post([this] {
    std::vector<uint64_t> ids;
    for (auto& entry : clients_) ids.push_back(entry.first);
    for (uint64_t id : ids) {
      Flush(clients_.at(id).get());
      // Flushing closes a client whose last reply asked for it (QUIT, SHUTDOWN).
      if (Client* client = FindClient(id)) CloseClient(client);
    }
    stopping_.store(true);
    event_base_loopbreak(base_);
  });
  thread_.join();
}

void Worker::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    tasks_.push_back(std::move(task));
  }
  event_active(tasks_event_, EV_READ, 0);
}

void Worker::OnTasks(int, short, void* arg) { static_cast<Worker*>(arg)->RunTasks(); }

void Worker::RunTasks() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    tasks.swap(tasks_);
  }
  for (auto& task : tasks) task();
}

void Worker::AdoptConnection(int fd, std::string address, std::string local_address) {
  Post([this, fd, address = std::move(address), local_address = std::move(local_address)] {
    Adopt(fd, address, local_address);
  });
}

void Worker::Adopt(int fd, const std::string& address, const std::string& local_address) {
  ClientRegistry& registry = server_->clients();
  auto client = std::make_unique<Client>(registry.NextId(), fd, this, address, local_address);
  Client* raw = client.get();
  raw->set_authenticated(server_->config().requirepass().empty());
  raw->touch(NowMs());
  raw->read_event = event_new(base_, fd, EV_READ | EV_PERSIST, &Worker::OnReadable, raw);
  raw->write_event = event_new(base_, fd, EV_WRITE | EV_PERSIST, &Worker::OnWritable, raw);
  event_add(raw->read_event, nullptr);
  clients_.emplace(raw->id(), std::move(client));
  registry.Add(raw);
}

void Worker::OnReadable(int, short, void* arg) {
  Client* client = static_cast<Client*>(arg);
  client->worker()->ReadFrom(client);
}

void Worker::OnWritable(int, short, void* arg) {
  Client* client = static_cast<Client*>(arg);
  Worker* worker = client->worker();
  worker->Flush(client);
  if (worker->clients_.count(client->id()) == 0) return;  // closed while flushing
  if (client->reading_paused &&
      client->output_buffer.size() - client->output_offset < kOutputBackpressureBytes / 2) {
    client->reading_paused = false;
    event_add(client->read_event, nullptr);
    worker->ProcessInput(client);
  }
}

void Worker::ReadFrom(Client* client) {
  std::string& buffer = client->query_buffer;
  // Read into the worker's buffer, not a grown query buffer: growing one zero-fills the
  // whole chunk for every read.
  ssize_t n = read(client->fd(), read_buffer_.get(), kReadChunk);
  if (n <= 0) {
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    CloseClient(client);
    return;
  }
  buffer.append(read_buffer_.get(), static_cast<size_t>(n));
  server_->stats().net_input_bytes.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
  client->touch(NowMs());
  size_t pending = buffer.size() - client->query_offset + client->parser.pending_bytes();
  if (pending > static_cast<size_t>(server_->config().client_query_buffer_limit())) {
    LogWarning("Closing client id=" + std::to_string(client->id()) + " addr=" + client->address() +
               " that reached max query buffer length");
    server_->stats().client_query_buffer_limit_disconnections++;
    CloseClient(client);
    return;
  }
  ProcessInput(client);
}

void Worker::ProcessInput(Client* client) {
  uint64_t id = client->id();
  while (!client->close_after_reply && !client->reading_paused && !client->parked) {
    if (client->waiting_for_unpause) {
      if (!RunCommand(client)) break;
    } else {
      ParserLimits limits;
      limits.max_bulk_length = server_->config().proto_max_bulk_len();
      limits.unauthenticated = !client->authenticated();
      client->parser.set_limits(limits);
      size_t consumed = 0;
      std::string_view input(client->query_buffer);
      input.remove_prefix(client->query_offset);
      ParseResult result = client->parser.Parse(input, &consumed, &client->args);
      client->query_offset += consumed;
      if (result == ParseResult::kNeedMore) break;
      if (result == ParseResult::kProtocolError) {
        ReplyBuilder(&client->output_buffer, client->protocol()).Error(client->parser.error());
        LogVerbose("Protocol error from client " + client->address() + ": " +
                   client->parser.error());
        client->close_after_reply = true;
        break;
      }
      PrefetchUpcoming(client);
      if (!RunCommand(client)) break;
    }
    if (clients_.count(id) == 0) return;  // the command closed this connection
    if (client->output_buffer.size() - client->output_offset >= kOutputBackpressureBytes) {
      Flush(client);
      if (clients_.count(id) == 0) return;
      if (client->output_buffer.size() - client->output_offset >= kOutputBackpressureBytes) {
        client->reading_paused = true;
        event_del(client->read_event);
      }
    }
  }
  // Drop the consumed part of the query buffer once it is worth the copy.
  if (client->query_offset == client->query_buffer.size()) {
    client->query_buffer.clear();
    client->query_offset = 0;
    if (client->query_buffer.capacity() > 4 * kReadChunk) client->query_buffer.shrink_to_fit();
  } else if (client->query_offset > kReadChunk) {
    client->query_buffer.erase(0, client->query_offset);
    client->query_offset = 0;
  }
  client->UpdateBufferSizes();
  QueueFlush(client);
}

void Worker::QueueFlush(Client* client) {
  if (client->flush_queued) return;
  client->flush_queued = true;
  flush_queue_.push_back(client->id());
}

void Worker::FlushQueued() {
  std::vector<uint64_t> queued;
  queued.swap(flush_queue_);
  for (uint64_t id : queued) {
    auto it = clients_.find(id);
    if (it == clients_.end()) continue;
    it->second->flush_queued = false;
    Flush(it->second.get());
  }
}

void Worker::PrefetchUpcoming(Client* client) {
  // A command's lookup reads the index slot, then the entry the slot points to: the slot is
  // fetched two commands ahead, the entry one ahead, when its slot is likely cached. (A third
  // stage for the value measured no faster: each stage costs a hash and a shard lock.)
  constexpr HotCache::PrefetchStage kStageOfNext[] = {HotCache::PrefetchStage::kEntry,
                                                      HotCache::PrefetchStage::kSlot};
  std::string_view rest(client->query_buffer);
  rest.remove_prefix(client->query_offset);
  for (HotCache::PrefetchStage stage : kStageOfNext) {
    PeekedCommand upcoming;
    if (!PeekCommand(rest, &upcoming)) return;
    if (upcoming.argument_count >= 2) {
      server_->storage().PrefetchKey(client->db(), upcoming.first_argument, stage);
    }
    rest.remove_prefix(upcoming.bytes);
  }
}

bool Worker::RunCommand(Client* client) {
  Dispatcher::Outcome outcome = server_->dispatcher().Execute(client, client->args);
  if (outcome == Dispatcher::Outcome::kWaitForUnpause) {
    if (!client->waiting_for_unpause) {
      client->waiting_for_unpause = true;
      paused_clients_.push_back(client->id());
    }
    return false;
  }
  client->waiting_for_unpause = false;
  client->args.clear();
  return true;
}

void Worker::Flush(Client* client) {
  if (client->output_offset < client->output_buffer.size()) {
    // A reply may acknowledge a write of this or another worker: the WAL has it first.
    Status durable = server_->storage().MakeWritesDurable();
    if (!durable.ok()) LogWarning("Flushing the WAL failed: " + durable.ToString());
  }
  while (client->output_offset < client->output_buffer.size()) {
    const char* data = client->output_buffer.data() + client->output_offset;
    size_t length = client->output_buffer.size() - client->output_offset;
    ssize_t n = send(client->fd(), data, length, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      CloseClient(client);
      return;
    }
    client->output_offset += static_cast<size_t>(n);
    server_->stats().net_output_bytes.fetch_add(static_cast<uint64_t>(n),
                                                std::memory_order_relaxed);
  }
  if (client->output_offset == client->output_buffer.size()) {
    client->output_buffer.clear();
    client->output_offset = 0;
    if (client->output_buffer.capacity() > 4 * kReadChunk) client->output_buffer.shrink_to_fit();
    event_del(client->write_event);
    client->output_soft_limit_since_ms = 0;
    if (client->close_after_reply) {
      CloseClient(client);
      return;
    }
  } else {
    if (OutputOverLimits(client)) {
      server_->stats().client_output_limit_disconnections++;
      LogWarning("Client id=" + std::to_string(client->id()) + " addr=" + client->address() +
                 " closed for overcoming of output buffer limits.");
      CloseClient(client);
      return;
    }
    event_add(client->write_event, nullptr);
  }
  client->UpdateBufferSizes();
}

bool Worker::OutputOverLimits(Client* client) {
  // Like Redis's getClientType: a client with subscriptions is limited as a pub/sub client.
  ClientClass client_class = InPubSubMode(*client) ? ClientClass::kPubsub : ClientClass::kNormal;
  OutputBufferLimit limit = server_->config().output_buffer_limit(client_class);
  size_t pending = client->output_buffer.size() - client->output_offset;
  if (limit.hard_bytes > 0 && pending >= limit.hard_bytes) return true;
  if (limit.soft_bytes == 0 || pending < limit.soft_bytes) {
    client->output_soft_limit_since_ms = 0;
    return false;
  }
  int64_t now = NowMs();
  if (client->output_soft_limit_since_ms == 0) client->output_soft_limit_since_ms = now;
  return now - client->output_soft_limit_since_ms >= limit.soft_seconds * 1000;
}

void Worker::SendToClient(uint64_t client_id, const std::string& bytes) {
  auto it = clients_.find(client_id);
  if (it == clients_.end()) return;
  it->second->output_buffer.append(bytes);
  Flush(it->second.get());
}

Client* Worker::FindClient(uint64_t client_id) {
  auto it = clients_.find(client_id);
  return it == clients_.end() ? nullptr : it->second.get();
}

void Worker::CloseClientById(uint64_t client_id) {
  auto it = clients_.find(client_id);
  if (it != clients_.end()) CloseClient(it->second.get());
}

void Worker::CloseClient(Client* client) {
  uint64_t id = client->id();
  server_->clients().Remove(client);
  server_->pubsub().RemoveClient(client);
  server_->blocking().ClientClosed(client);
  event_free(client->read_event);
  event_free(client->write_event);
  close(client->fd());
  clients_.erase(id);
}

void Worker::OnTimer(int, short, void* arg) { static_cast<Worker*>(arg)->Tick(); }

// Every tick: time out blocked clients, retry commands held by CLIENT PAUSE; about once a
// second, close idle clients.
void Worker::Tick() {
  server_->blocking().FireTimeouts(this, NowMs());
  if (!paused_clients_.empty()) {
    std::vector<uint64_t> waiting;
    waiting.swap(paused_clients_);
    for (uint64_t id : waiting) {
      auto it = clients_.find(id);
      if (it == clients_.end()) continue;
      Client* client = it->second.get();
      if (RunCommand(client)) {
        ProcessInput(client);
      } else {
        paused_clients_.push_back(id);  // still held: RunCommand only lists new waiters
      }
    }
  }
  int64_t timeout_seconds = server_->config().timeout();
  if (timeout_seconds <= 0 || ++ticks_ % 100 != 0) return;
  int64_t now = NowMs();
  std::vector<Client*> idle;
  for (auto& entry : clients_) {
    Client* client = entry.second.get();
    // Like Redis, subscribers wait for messages without a timeout.
    if (!client->is_monitor() && !client->waiting_for_unpause && !InPubSubMode(*client) &&
        !client->parked && now - client->last_interaction_ms() > timeout_seconds * 1000) {
      idle.push_back(client);
    }
  }
  for (Client* client : idle) CloseClient(client);
}

}  // namespace cairn
