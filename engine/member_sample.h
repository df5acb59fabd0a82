// Uniform random choice of collection members without loading the collection: pick the
// positions (ranks in member-part order) first, then visit them in one forward pass of a
// MemberIterator. HRANDFIELD, SRANDMEMBER, SPOP and ZRANDMEMBER build on it. The pass is
// O(largest position), like a walk; only the chosen members are copied.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/collection.h"
#include "engine/status.h"

namespace cairn {

// `count` distinct positions in [0, size), uniformly chosen, in ascending order
// (count is clamped to size).
std::vector<uint64_t> SampleDistinctPositions(uint64_t size, uint64_t count);
// `count` positions in [0, size), each uniform and independent (repeats allowed), in the
// random order they were drawn. Empty when size is 0.
std::vector<uint64_t> SamplePositions(uint64_t size, uint64_t count);

// Calls `visit` for the member at each position in `positions` (any order, repeats allowed)
// in the order of `positions`, reading each distinct position once in a single forward pass
// from SeekToFirst. Positions past the end are skipped.
using MemberVisitor =
    std::function<void(uint64_t position, std::string_view member_part, std::string_view value)>;
Status VisitMembersAt(MemberIterator& iterator, std::span<const uint64_t> positions,
                      const MemberVisitor& visit);

}  // namespace cairn
