// ClientRegistry: every connected client across all workers, for CLIENT LIST/KILL/INFO,
// MONITOR fan-out and CLIENT PAUSE. Clients belong to their workers; the registry only holds
// pointers, added and removed by the owning worker under the registry's mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cairn {

class Client;

class ClientRegistry {
 public:
  uint64_t NextId() { return next_id_.fetch_add(1) + 1; }

  void Add(Client* client);
  void Remove(Client* client);
  size_t size() const;

  // Calls visit for every client under the registry's lock: visit must only read fields
  // that are safe to read from another thread (see client.h).
  void ForEach(const std::function<void(const Client&)>& visit) const;
  // Asks the owners of the matching clients to close them; returns how many matched.
  size_t Kill(const std::function<bool(const Client&)>& matches);

  // MONITOR: the line is sent to every monitoring client (on its own worker).
  void AddMonitor(Client* client);
  void RemoveMonitor(Client* client);
  bool has_monitors() const { return monitor_count_.load(std::memory_order_relaxed) > 0; }
  void FeedMonitors(const std::string& line);

  // CLIENT PAUSE: until end_ms, hold back all commands (all) or only writes.
  void Pause(int64_t end_ms, bool all);
  void Unpause();
  // Whether a command of this kind must wait now (the clock is read only during a pause).
  bool MustWait(bool is_write) const;

 private:
  std::atomic<uint64_t> next_id_{0};
  mutable std::mutex mutex_;
  std::unordered_map<uint64_t, Client*> clients_;
  std::unordered_map<uint64_t, Client*> monitors_;
  std::atomic<int> monitor_count_{0};
  std::atomic<int64_t> pause_end_ms_{0};
  std::atomic<bool> pause_all_{false};
};

}  // namespace cairn
