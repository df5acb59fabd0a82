// Random choice of collection members without loading the collection, for HRANDFIELD,
// SRANDMEMBER, SPOP and ZRANDMEMBER.
//
// Two strategies. A small collection (and a request for a large share of one, where the reply
// is O(N) anyway, like Redis's SRANDMEMBER "case 3") is sampled exactly uniformly: positions
// (ranks in member-part order) are drawn first, then visited in one forward pass.
//
// A large collection is sampled by seeking, one seek per pick: the first and last member
// parts bound the key space; a random seek target between them (their common prefix, a byte
// from the range between them at the first differing position, then random bytes) picks the
// first member at or after it; a target past the last member is drawn again (a few times,
// then the pick wraps around to the first member). The random
// bytes favour the byte alphabet seen in the bounding members (all digits once one is seen,
// and so on), so that typical text members ("user:1234", hex ids) are reached evenly. This is
// approximately uniform, as Redis's own dictGetFairRandomKey is approximately fair: a member
// that follows a large gap in the key space (or a missing byte of the alphabet) is favoured.
// Distinct picks repeat seeks, skipping members already chosen; after a bounded number of
// attempts the rest is chosen by a walk, so a request always gets exactly `count` members.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string_view>

#include "engine/collection.h"
#include "engine/status.h"

namespace cairn {

// Receives one picked member; the views are valid only during the call.
using MemberVisitor = std::function<void(std::string_view member_part, std::string_view value)>;

// The thread's generator, for callers that have no seeded one of their own.
std::mt19937_64& SampleRandom();

// kAuto walks collections of up to 128 members and requests for more than a third of one,
// and seeks otherwise. Tests force one method to exercise it on any collection.
enum class SampleMethod { kAuto, kWalk, kSeek };

// Iterator work done by a sampler: seeks (including SeekToFirst/SeekToLast) and Next steps.
struct SampleCounters {
  uint64_t seeks = 0;
  uint64_t steps = 0;
};

class SeekTargets;

class MemberSampler {
 public:
  // `size` is the member count the metadata gives. The iterator and generator must outlive
  // the sampler.
  MemberSampler(MemberIterator& iterator, uint64_t size, std::mt19937_64& random,
                SampleMethod method = SampleMethod::kAuto);
  ~MemberSampler();
  MemberSampler(const MemberSampler&) = delete;
  MemberSampler& operator=(const MemberSampler&) = delete;

  // min(count, size) distinct members: in iteration order when that is the whole collection,
  // in random order otherwise.
  Status PickDistinct(uint64_t count, const MemberVisitor& visit);
  // `count` independent picks (repeats allowed), each visited as it is drawn.
  Status PickWithRepeats(uint64_t count, const MemberVisitor& visit);

  const SampleCounters& counters() const { return counters_; }

 private:
  bool UseWalk(uint64_t count) const;
  Status WalkDistinct(uint64_t count, const MemberVisitor& visit);
  Status WalkWithRepeats(uint64_t count, const MemberVisitor& visit);
  Status SeekDistinct(uint64_t count, const MemberVisitor& visit);
  // Positions the iterator on one member picked by a random seek (not Valid() when the
  // collection turned out empty).
  Status SeekOne();
  Status LoadBounds();

  MemberIterator& iterator_;
  uint64_t size_;
  std::mt19937_64& random_;
  SampleMethod method_;
  SampleCounters counters_;
  std::unique_ptr<SeekTargets> targets_;
};

}  // namespace cairn
