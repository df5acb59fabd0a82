// DeadRanges (see dead_ranges.h).
#include "engine/dead_ranges.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <utility>

namespace cairn {

namespace {

// The smallest member-part after `part`.
std::string Successor(std::string_view part) {
  std::string next(part);
  next.push_back('\0');
  return next;
}

// a < b for range ends.
bool EndLess(const RangeEnd& a, const RangeEnd& b) {
  if (a.infinite) return false;
  return b.infinite || a.part < b.part;
}

}  // namespace

DeadRanges::DeadRanges() : shards_(std::make_unique<Shard[]>(kShards)) {}

DeadRanges::Shard& DeadRanges::ShardOf(std::string_view incarnation) const {
  return shards_[std::hash<std::string_view>{}(incarnation) % kShards];
}

DeadRanges::Ranges::const_iterator DeadRanges::Holding(const Ranges& ranges,
                                                       std::string_view part) {
  auto it = ranges.upper_bound(part);
  if (it == ranges.begin()) return ranges.end();
  --it;
  if (it->second.infinite || part < it->second.part) return it;
  return ranges.end();
}

template <typename Visitor>
bool DeadRanges::ForKey(std::string_view incarnation, Visitor&& visit) const {
  if (key_count_.load(std::memory_order_relaxed) == 0) return false;
  Shard& shard = ShardOf(incarnation);
  std::lock_guard lock(shard.mutex);
  auto key = shard.keys.find(incarnation);
  if (key == shard.keys.end()) return false;
  return visit(shard, key);
}

bool DeadRanges::SkipForward(std::string_view incarnation, std::string_view part,
                             RangeEnd* resume) const {
  return ForKey(incarnation, [&](Shard&, KeyEntry key) {
    auto range = Holding(key->second.dead, part);
    if (range == key->second.dead.end()) return false;
    *resume = range->second;
    return true;
  });
}

bool DeadRanges::SkipBackward(std::string_view incarnation, std::string_view part, bool past_end,
                              std::string* resume) const {
  return ForKey(incarnation, [&](Shard&, KeyEntry key) {
    const Ranges& ranges = key->second.dead;
    Ranges::const_iterator range;
    if (past_end) {
      if (ranges.empty() || !std::prev(ranges.end())->second.infinite) return false;
      range = std::prev(ranges.end());
    } else {
      range = Holding(ranges, part);
      if (range == ranges.end()) return false;
    }
    *resume = range->first;
    return true;
  });
}

void DeadRanges::Insert(Ranges* ranges, std::string low, RangeEnd high, bool may_add) {
  // Every range that overlaps or touches [low, high) merges into it.
  auto first = ranges->upper_bound(low);
  if (first != ranges->begin()) {
    auto before = std::prev(first);
    if (!EndLess(before->second, RangeEnd{low, false})) first = before;
  }
  auto last = first;
  while (last != ranges->end() && (high.infinite || last->first <= high.part)) {
    if (last->first < low) low = last->first;
    if (EndLess(high, last->second)) high = last->second;
    ++last;
  }
  if (first == last && !may_add) return;
  ranges->erase(first, last);
  ranges->emplace(std::move(low), std::move(high));
}

DeadRanges::Known& DeadRanges::EntryFor(Shard& shard, std::string_view incarnation) {
  auto [key, added] = shard.keys.try_emplace(std::string(incarnation));
  if (added) {
    shard.order.push_back(key->first);
    key_count_.fetch_add(1, std::memory_order_relaxed);
    if (shard.order.size() > kMaxKeysPerShard) {
      shard.keys.erase(shard.order.front());
      shard.order.erase(shard.order.begin());
      key_count_.fetch_sub(1, std::memory_order_relaxed);
    }
  }
  return key->second;
}

void DeadRanges::Record(std::string_view incarnation, std::string_view low, const RangeEnd& high) {
  if (!high.infinite && high.part <= low) return;
  Shard& shard = ShardOf(incarnation);
  std::lock_guard lock(shard.mutex);
  Ranges& ranges = EntryFor(shard, incarnation).dead;
  Insert(&ranges, std::string(low), high, ranges.size() < kMaxRangesPerKey);
}

void DeadRanges::SetBounds(std::string_view incarnation, std::string_view first,
                           std::string_view last) {
  Shard& shard = ShardOf(incarnation);
  std::lock_guard lock(shard.mutex);
  Known& known = EntryFor(shard, incarnation);
  known.bounded = true;
  known.first.assign(first);
  known.last.assign(last);
}

bool DeadRanges::Bounds(std::string_view incarnation, std::string* first, std::string* last) const {
  return ForKey(incarnation, [&](Shard&, KeyEntry key) {
    if (!key->second.bounded) return false;
    *first = key->second.first;
    *last = key->second.last;
    return true;
  });
}

void DeadRanges::Put(std::string_view incarnation, std::string_view part) {
  ForKey(incarnation, [&](Shard& shard, KeyEntry key) {
    Known& known = key->second;
    if (known.bounded) {
      if (part < known.first) known.first.assign(part);
      if (part > known.last) known.last.assign(part);
    }
    Ranges& ranges = known.dead;
    auto range = Holding(ranges, part);
    if (range == ranges.end()) return true;
    std::string low = range->first;
    RangeEnd high = range->second;
    ranges.erase(range);
    // Split around the member; past the cap the upper half is forgotten, which only costs a
    // later walk some steps.
    if (low < part) ranges.emplace(std::move(low), RangeEnd{std::string(part), false});
    std::string after = Successor(part);
    if (ranges.size() < kMaxRangesPerKey && EndLess(RangeEnd{after, false}, high)) {
      ranges.emplace(std::move(after), std::move(high));
    }
    if (ranges.empty() && !known.bounded) {
      shard.order.erase(std::find(shard.order.begin(), shard.order.end(), incarnation));
      shard.keys.erase(key);
      key_count_.fetch_sub(1, std::memory_order_relaxed);
    }
    return true;
  });
}

void DeadRanges::Delete(std::string_view incarnation, std::string_view part) {
  ForKey(incarnation, [&](Shard&, KeyEntry key) {
    Ranges& ranges = key->second.dead;
    std::string after = Successor(part);
    auto next = ranges.lower_bound(part);
    bool ends_here = next != ranges.begin() && !std::prev(next)->second.infinite &&
                     std::prev(next)->second.part == part;
    bool starts_after = next != ranges.end() && next->first == after;
    // Only next to a range: single deleted members are not worth a range of their own.
    if (ends_here || starts_after) {
      Insert(&ranges, std::string(part), RangeEnd{std::move(after), false}, true);
    }
    return true;
  });
}

void DeadRanges::Clear() {
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard lock(shards_[i].mutex);
    key_count_.fetch_sub(shards_[i].keys.size(), std::memory_order_relaxed);
    shards_[i].keys.clear();
    shards_[i].order.clear();
  }
}

bool DeadRanges::Has(std::string_view incarnation) const {
  return ForKey(incarnation, [](Shard&, KeyEntry key) { return !key->second.dead.empty(); });
}

size_t DeadRanges::keys() const { return key_count_.load(std::memory_order_relaxed); }

}  // namespace cairn
