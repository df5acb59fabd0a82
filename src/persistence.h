// Persistence: SAVE/BGSAVE as RocksDB checkpoints under <dir>/checkpoints, the `save`
// rules that trigger them, and the figures LASTSAVE and INFO persistence report.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cairn {

class Server;

class Persistence {
 public:
  explicit Persistence(Server* server) : server_(server) {}
  ~Persistence();

  // Creates a checkpoint now, on the calling thread.
  bool Save(std::string* error);
  // Starts a checkpoint on a background thread; false with *error if one is running.
  bool BackgroundSave(std::string* error);
  // BGSAVE SCHEDULE while a save runs: the cron starts another one when it ends.
  void ScheduleBackgroundSave() { scheduled_.store(true); }
  bool in_progress() const { return in_progress_.load(); }
  int64_t last_save_time() const { return last_save_time_.load(); }  // unix seconds
  bool last_save_ok() const { return last_save_ok_.load(); }
  int64_t last_save_duration_sec() const { return last_save_duration_sec_.load(); }
  int64_t current_save_start_time() const { return current_start_time_.load(); }
  int64_t saves() const { return saves_.load(); }
  // Absolute path of the newest complete checkpoint under <dir>/checkpoints, "" if none
  // (one left by an earlier run counts).
  std::string last_checkpoint() const;
  // Called by the server cron: applies the `save <seconds> <changes>` rules.
  void Cron();
  void WaitForBackgroundSave();

 private:
  bool CreateCheckpoint(std::string* error);
  void RemoveOldCheckpoints(const std::string& root);

  Server* const server_;
  std::mutex mutex_;  // one checkpoint at a time
  std::thread background_;
  std::atomic<bool> in_progress_{false};
  std::atomic<int64_t> last_save_time_{0};
  std::atomic<bool> last_save_ok_{true};
  std::atomic<int64_t> last_save_duration_sec_{-1};
  std::atomic<int64_t> current_start_time_{-1};
  std::atomic<int64_t> saves_{0};
  std::atomic<bool> scheduled_{false};
  int64_t last_attempt_time_ = 0;
  mutable std::mutex last_checkpoint_mutex_;
  std::string last_checkpoint_;
};

}  // namespace cairn
