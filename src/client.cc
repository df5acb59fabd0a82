// Client: per-connection state; see client.h for which fields other threads may read.
#include "src/client.h"

#include "src/time_util.h"

namespace cairn {

Client::Client(uint64_t id, int fd, Worker* worker, std::string address, std::string local_address)
    : id_(id),
      fd_(fd),
      worker_(worker),
      address_(std::move(address)),
      local_address_(std::move(local_address)),
      created_ms_(NowMs()) {}

Client::~Client() = default;

std::string Client::name() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return name_;
}

void Client::set_name(std::string name) {
  std::lock_guard<std::mutex> lock(mutex_);
  name_ = std::move(name);
}

std::string Client::last_command() const {
  const std::string* name = last_command_.load(std::memory_order_relaxed);
  return name == nullptr ? std::string() : *name;
}

void Client::UpdateBufferSizes() {
  query_buffer_size_.store(query_buffer.size() - query_offset + parser.pending_bytes(),
                           std::memory_order_relaxed);
  output_buffer_size_.store(output_buffer.size() - output_offset, std::memory_order_relaxed);
}

}  // namespace cairn
