// ServerStats: the counters INFO reports (stats, commandstats, errorstats) and the slow log.
// Updated by every worker, so counters are atomics and maps are filled once or locked.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace cairn {

struct CommandStats {
  std::atomic<uint64_t> calls{0};
  std::atomic<uint64_t> microseconds{0};
  std::atomic<uint64_t> rejected_calls{0};
  std::atomic<uint64_t> failed_calls{0};
};

struct SlowLogEntry {
  uint64_t id;
  int64_t unix_time;
  int64_t duration_us;
  std::vector<std::string> args;
  std::string client_address;
  std::string client_name;
};

class SlowLog {
 public:
  void Add(SlowLogEntry entry, size_t max_length);
  std::vector<SlowLogEntry> Newest(size_t count) const;
  size_t size() const;
  void Reset();

 private:
  mutable std::mutex mutex_;
  uint64_t next_id_ = 0;
  std::deque<SlowLogEntry> entries_;  // newest first
};

struct ServerStats {
  std::atomic<uint64_t> total_connections_received{0};
  std::atomic<uint64_t> total_commands_processed{0};
  std::atomic<uint64_t> rejected_connections{0};
  std::atomic<uint64_t> expired_keys{0};
  std::atomic<uint64_t> keyspace_hits{0};
  std::atomic<uint64_t> keyspace_misses{0};
  std::atomic<uint64_t> net_input_bytes{0};
  std::atomic<uint64_t> net_output_bytes{0};
  std::atomic<uint64_t> total_error_replies{0};
  std::atomic<uint64_t> dirty{0};  // changes since the last save (rdb_changes_since_last_save)
  std::atomic<uint64_t> client_output_limit_disconnections{0};
  std::atomic<uint64_t> client_query_buffer_limit_disconnections{0};
  std::atomic<uint64_t> instantaneous_ops_per_sec{0};

  // Called by the server cron: samples total_commands_processed for
  // instantaneous_ops_per_sec (average over the last 16 samples, as Redis does).
  void SampleOperations(int64_t now_ms);

  // One entry per command full name ("get", "client|kill"); filled before workers start.
  std::unordered_map<std::string, std::unique_ptr<CommandStats>> commands;
  SlowLog slowlog;

  void CountError(const std::string& prefix);
  std::map<std::string, uint64_t> ErrorCounts() const;
  void Reset();

 private:
  static constexpr int kSamples = 16;
  uint64_t ops_samples_[kSamples] = {};
  int next_sample_ = 0;
  int64_t last_sample_ms_ = 0;
  uint64_t last_sample_ops_ = 0;

  mutable std::mutex errors_mutex_;
  std::map<std::string, uint64_t> errors_;
};

}  // namespace cairn
