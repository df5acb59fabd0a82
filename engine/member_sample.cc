// Position sampling and the one-pass member visit (see member_sample.h).
#include "engine/member_sample.h"

#include <algorithm>
#include <random>
#include <string>
#include <unordered_set>
#include <utility>

namespace cairn {

namespace {

std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return random;
}

}  // namespace

std::vector<uint64_t> SampleDistinctPositions(uint64_t size, uint64_t count) {
  count = std::min(count, size);
  std::vector<uint64_t> positions;
  positions.reserve(count);
  std::mt19937_64& random = ThreadRandom();
  if (count * 2 >= size) {
    // Most of the collection: Knuth's selection sampling walks the range once.
    for (uint64_t i = 0; i < size && positions.size() < count; ++i) {
      uint64_t remaining = size - i;
      uint64_t needed = count - positions.size();
      if (std::uniform_int_distribution<uint64_t>(0, remaining - 1)(random) < needed) {
        positions.push_back(i);
      }
    }
    return positions;
  }
  // A small part of it: Floyd's algorithm draws exactly `count` distinct values.
  std::unordered_set<uint64_t> chosen;
  for (uint64_t j = size - count; j < size; ++j) {
    uint64_t t = std::uniform_int_distribution<uint64_t>(0, j)(random);
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  positions.assign(chosen.begin(), chosen.end());
  std::sort(positions.begin(), positions.end());
  return positions;
}

std::vector<uint64_t> SamplePositions(uint64_t size, uint64_t count) {
  std::vector<uint64_t> positions;
  if (size == 0) return positions;
  positions.reserve(count);
  std::uniform_int_distribution<uint64_t> pick(0, size - 1);
  for (uint64_t i = 0; i < count; ++i) positions.push_back(pick(ThreadRandom()));
  return positions;
}

Status VisitMembersAt(MemberIterator& iterator, std::span<const uint64_t> positions,
                      const MemberVisitor& visit) {
  // Visit order = the caller's order: sort (position, slot) pairs, read each distinct position
  // once, then replay in the original order.
  std::vector<std::pair<uint64_t, size_t>> order;
  order.reserve(positions.size());
  for (size_t i = 0; i < positions.size(); ++i) order.emplace_back(positions[i], i);
  std::sort(order.begin(), order.end());
  std::vector<std::pair<std::string, std::string>> found(positions.size());
  std::vector<bool> present(positions.size(), false);
  iterator.SeekToFirst();
  uint64_t current = 0;
  for (const auto& [position, slot] : order) {
    while (iterator.Valid() && current < position) {
      iterator.Next();
      ++current;
    }
    if (!iterator.Valid()) break;
    found[slot] = {std::string(iterator.member_part()), std::string(iterator.value())};
    present[slot] = true;
  }
  Status s = iterator.status();
  if (!s.ok()) return s;
  for (size_t i = 0; i < positions.size(); ++i) {
    if (present[i]) visit(positions[i], found[i].first, found[i].second);
  }
  return Status::OK();
}

}  // namespace cairn
