// MemoryBudget: how `maxmemory` is split between the parts of Cairn that hold data in
// memory: the hot cache of decoded keys, RocksDB's block cache and RocksDB's memtables
// (bounded together by a WriteBufferManager). Whatever else the process allocates
// (connections, buffers, RocksDB's own bookkeeping) is outside the budget.
//
// maxmemory 0 means "automatic" for Cairn (Redis's "unlimited" cannot apply to a cache):
// a quarter of the memory the machine or its cgroup offers. Budgets below kMinMemoryBudget
// are raised to it.
#pragma once

#include <cstdint>

#include "engine/status.h"

namespace cairn {

// The hot cache's and the block cache's shares in percent; the memtables get the rest,
// which must be at least kMinMemtablePercent.
struct MemoryShares {
  uint32_t hot_cache_percent = 40;
  uint32_t block_cache_percent = 35;
};

inline constexpr uint32_t kMinMemtablePercent = 5;
inline constexpr uint64_t kMinMemoryBudget = uint64_t{8} << 20;

struct MemoryBudget {
  uint64_t total_bytes = 0;
  uint64_t hot_cache_bytes = 0;
  uint64_t block_cache_bytes = 0;
  // All memtables of all column families together.
  uint64_t memtable_bytes = 0;
  // The size of one memtable of a data family (meta, sub): a quarter of the memtable
  // budget, so several can fill and flush within it, between 64 KB and 64 MB.
  uint64_t write_buffer_bytes = 0;
};

// InvalidArgument (with the reason, no "ERR" prefix) when the shares leave the memtables
// less than kMinMemtablePercent.
Status CheckMemoryShares(const MemoryShares& shares);

// Splits EffectiveMaxmemory(maxmemory). The shares must have passed CheckMemoryShares.
MemoryBudget SplitMemoryBudget(uint64_t maxmemory, const MemoryShares& shares);

// maxmemory as Cairn applies it: 0 becomes DefaultMemoryBudget(AvailableMemoryBytes()),
// anything below kMinMemoryBudget becomes kMinMemoryBudget.
uint64_t EffectiveMaxmemory(uint64_t maxmemory);
// A quarter of `available_bytes`, at least kMinMemoryBudget.
uint64_t DefaultMemoryBudget(uint64_t available_bytes);
// Physical memory, or the cgroup's memory limit when that is lower (containers).
uint64_t AvailableMemoryBytes();

}  // namespace cairn
