// The split of maxmemory between hot cache, block cache and memtables, and the default
// budget derived from the machine's (or container's) memory.
#include "engine/memory_budget.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>

namespace cairn {

namespace {

constexpr uint64_t kMinWriteBuffer = uint64_t{64} << 10;
// Memtables are skiplists: an insert visits a few dozen nodes spread over the memtable, so
// one that stays within the CPU's last-level cache (tens of MB) takes a write half the time
// a 64 MB one does (SET at pipeline 16: about 51k -> 73k ops/s). More, smaller flushes are
// the price; compactions absorb them.
constexpr uint64_t kMaxWriteBuffer = uint64_t{16} << 20;

// The limit in a cgroup memory file ("max" or a byte count); 0 when there is none.
uint64_t ReadCgroupLimit(const char* path) {
  std::ifstream file(path);
  std::string text;
  if (!(file >> text) || text.empty() || text == "max") return 0;
  char* end = nullptr;
  unsigned long long limit = std::strtoull(text.c_str(), &end, 10);
  return *end == '\0' ? static_cast<uint64_t>(limit) : 0;
}

uint64_t PercentOf(uint64_t total, uint32_t percent) { return total / 100 * percent; }

}  // namespace

Status CheckMemoryShares(const MemoryShares& shares) {
  uint64_t taken = uint64_t{shares.hot_cache_percent} + shares.block_cache_percent;
  if (taken + kMinMemtablePercent > 100) {
    return Status::InvalidArgument("hot-cache-share plus block-cache-share must leave at least " +
                                   std::to_string(kMinMemtablePercent) + "% for memtables");
  }
  return Status::OK();
}

MemoryBudget SplitMemoryBudget(uint64_t maxmemory, const MemoryShares& shares) {
  MemoryBudget budget;
  budget.total_bytes = EffectiveMaxmemory(maxmemory);
  budget.hot_cache_bytes = PercentOf(budget.total_bytes, shares.hot_cache_percent);
  budget.block_cache_bytes = PercentOf(budget.total_bytes, shares.block_cache_percent);
  budget.memtable_bytes = budget.total_bytes - budget.hot_cache_bytes - budget.block_cache_bytes;
  budget.write_buffer_bytes =
      std::clamp(budget.memtable_bytes / 4, kMinWriteBuffer, kMaxWriteBuffer);
  return budget;
}

uint64_t EffectiveMaxmemory(uint64_t maxmemory) {
  if (maxmemory == 0) return DefaultMemoryBudget(AvailableMemoryBytes());
  return std::max(maxmemory, kMinMemoryBudget);
}

uint64_t DefaultMemoryBudget(uint64_t available_bytes) {
  return std::max(available_bytes / 4, kMinMemoryBudget);
}

uint64_t AvailableMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGESIZE);
  uint64_t physical = pages > 0 && page_size > 0
                          ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size)
                          : 0;
  for (const char* path :
       {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    uint64_t limit = ReadCgroupLimit(path);
    if (limit != 0 && (physical == 0 || limit < physical)) physical = limit;
  }
  return physical;
}

}  // namespace cairn
