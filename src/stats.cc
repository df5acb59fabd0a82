// ServerStats and SlowLog.
#include "src/stats.h"

namespace cairn {

void SlowLog::Add(SlowLogEntry entry, size_t max_length) {
  std::lock_guard<std::mutex> lock(mutex_);
  entry.id = next_id_++;
  entries_.push_front(std::move(entry));
  while (entries_.size() > max_length) entries_.pop_back();
}

std::vector<SlowLogEntry> SlowLog::Newest(size_t count) const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t n = std::min(count, entries_.size());
  return std::vector<SlowLogEntry>(entries_.begin(), entries_.begin() + static_cast<long>(n));
}

size_t SlowLog::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

void SlowLog::Reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
}

void ServerStats::CountError(const std::string& prefix) {
  total_error_replies.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(errors_mutex_);
  // Like Redis, stop tracking new prefixes past 128 kinds so bad clients can't bloat this.
  if (errors_.size() >= 128 && errors_.count(prefix) == 0) return;
  errors_[prefix]++;
}

std::map<std::string, uint64_t> ServerStats::ErrorCounts() const {
  std::lock_guard<std::mutex> lock(errors_mutex_);
  return errors_;
}

void ServerStats::SampleOperations(int64_t now_ms) {
  uint64_t ops = total_commands_processed.load(std::memory_order_relaxed);
  if (last_sample_ms_ != 0 && now_ms > last_sample_ms_ && ops >= last_sample_ops_) {
    ops_samples_[next_sample_] =
        (ops - last_sample_ops_) * 1000 / static_cast<uint64_t>(now_ms - last_sample_ms_);
    next_sample_ = (next_sample_ + 1) % kSamples;
    uint64_t sum = 0;
    for (uint64_t sample : ops_samples_) sum += sample;
    instantaneous_ops_per_sec.store(sum / kSamples);
  }
  last_sample_ms_ = now_ms;
  last_sample_ops_ = ops;
}

void ServerStats::Reset() {
  total_connections_received = 0;
  total_commands_processed = 0;
  rejected_connections = 0;
  expired_keys = 0;
  keyspace_hits = 0;
  keyspace_misses = 0;
  net_input_bytes = 0;
  net_output_bytes = 0;
  total_error_replies = 0;
  client_output_limit_disconnections = 0;
  client_query_buffer_limit_disconnections = 0;
  for (auto& entry : commands) {
    entry.second->calls = 0;
    entry.second->microseconds = 0;
    entry.second->rejected_calls = 0;
    entry.second->failed_calls = 0;
  }
  std::lock_guard<std::mutex> lock(errors_mutex_);
  errors_.clear();
}

}  // namespace cairn
