// ClientRegistry: cross-worker view of the connected clients.
#include "src/client_registry.h"

#include "src/client.h"
#include "src/network/worker.h"
#include "src/time_util.h"

namespace cairn {

void ClientRegistry::Add(Client* client) {
  std::lock_guard<std::mutex> lock(mutex_);
  clients_[client->id()] = client;
}

void ClientRegistry::Remove(Client* client) {
  std::lock_guard<std::mutex> lock(mutex_);
  clients_.erase(client->id());
  if (monitors_.erase(client->id()) > 0) monitor_count_.fetch_sub(1);
}

size_t ClientRegistry::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return clients_.size();
}

void ClientRegistry::ForEach(const std::function<void(const Client&)>& visit) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& entry : clients_) visit(*entry.second);
}

size_t ClientRegistry::Kill(const std::function<bool(const Client&)>& matches) {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t killed = 0;
  for (const auto& entry : clients_) {
    Client* client = entry.second;
    if (!matches(*client)) continue;
    ++killed;
    Worker* worker = client->worker();
    uint64_t id = client->id();
    worker->Post([worker, id] { worker->CloseClientById(id); });
  }
  return killed;
}

void ClientRegistry::AddMonitor(Client* client) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (monitors_.emplace(client->id(), client).second) monitor_count_.fetch_add(1);
}

void ClientRegistry::RemoveMonitor(Client* client) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (monitors_.erase(client->id()) > 0) monitor_count_.fetch_sub(1);
}

void ClientRegistry::FeedMonitors(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& entry : monitors_) {
    Worker* worker = entry.second->worker();
    uint64_t id = entry.first;
    worker->Post([worker, id, line] { worker->SendToClient(id, line); });
  }
}

void ClientRegistry::Pause(int64_t end_ms, bool all) {
  // Like Redis, a second pause can extend or widen a pause but never shorten or narrow it.
  if (end_ms > pause_end_ms_.load()) pause_end_ms_.store(end_ms);
  if (all) pause_all_.store(true);
}

void ClientRegistry::Unpause() {
  pause_end_ms_.store(0);
  pause_all_.store(false);
}

bool ClientRegistry::MustWait(bool is_write) const {
  int64_t end = pause_end_ms_.load(std::memory_order_relaxed);
  if (end == 0 || NowMs() >= end) return false;
  return is_write || pause_all_.load(std::memory_order_relaxed);
}

}  // namespace cairn
