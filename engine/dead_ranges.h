// DeadRanges: what member walks learned about runs of deleted members, so that the next walk
// does not wade through the same tombstones again (issue 5's churn benchmark), and the
// bounds random picks found (SetBounds).
//
// A deleted member stays in RocksDB as a tombstone until a compaction drops it, and while it
// sits in a memtable no compaction can. A sorted set trimmed from the bottom after every
// ZADD (a leaderboard) or a set drained by SPOP piles thousands of tombstones exactly where
// the next walk starts: every ZREMRANGEBYRANK stepped over all members any earlier one had
// removed. MemberIterator (collection.h) records a dead range, [low, high) in member-part
// order known to hold no live member, whenever one positioning skipped many deleted
// entries, and starts later seeks that fall into a recorded range at its end instead.
//
// Coherence: a claim "no live member in [low, high)" stays true until a member in it is
// written, and every member write passes the hot cache's batch replay, which calls Put here
// (splitting the range around the member) while the writer still holds the key's lock;
// deletes only ever make a claim truer, and a committed delete right at a range's end
// extends it. Walks record only under the key's lock, outside transactions, and only what
// an iterator saw of the current state (collection.h). Ranges are keyed by incarnation
// (the member prefix holds the version), so a re-created key never meets old claims.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cairn {

// One end of a dead range: a member-part, or past the last possible member.
struct RangeEnd {
  std::string part;
  bool infinite = false;
};

class DeadRanges {
 public:
  // A walk records a range only when one positioning skipped more deleted or overwritten
  // entries than this: a few tombstones cost less than the bookkeeping.
  static constexpr uint64_t kRecordAfterSkipped = 32;
  // Bounds on memory: ranges per incarnation (further disjoint ranges are not recorded;
  // existing ones still grow) and incarnations per shard (the oldest is forgotten).
  static constexpr size_t kMaxRangesPerKey = 256;
  static constexpr size_t kMaxKeysPerShard = 16;

  DeadRanges();
  DeadRanges(const DeadRanges&) = delete;
  DeadRanges& operator=(const DeadRanges&) = delete;

  // `incarnation` names one collection's members in one column family (its member
  // snapshot key, member_cache.h).
  //
  // Where a forward seek to `part` may start instead: true with *resume set to the end of
  // the dead range holding `part`.
  bool SkipForward(std::string_view incarnation, std::string_view part, RangeEnd* resume) const;
  // Where a backward seek to the last member <= `part` (or, with past_end, to the last
  // member) may start instead: true with *resume set to the start of the dead range holding
  // that point; the last live member is then the last one before *resume.
  bool SkipBackward(std::string_view incarnation, std::string_view part, bool past_end,
                    std::string* resume) const;

  // No live member lies in [low, high).
  void Record(std::string_view incarnation, std::string_view low, const RangeEnd& high);
  // A member was written (put): it is live now, or may be.
  void Put(std::string_view incarnation, std::string_view part);
  // A member's deletion committed: a range ending right at it grows over it.
  void Delete(std::string_view incarnation, std::string_view part);
  void Clear();

  // The first and last member a random sampler (member_sample.h) found, so that the next
  // pick need not seek both ends again (a backward seek is the costliest one RocksDB
  // does). Deletes leave them as they are: bounds that are too wide only cost a pick a
  // redraw. A put outside them widens them.
  void SetBounds(std::string_view incarnation, std::string_view first, std::string_view last);
  bool Bounds(std::string_view incarnation, std::string* first, std::string* last) const;

  // Whether any range is recorded for the incarnation.
  bool Has(std::string_view incarnation) const;
  // Incarnations with ranges or bounds, for tests.
  size_t keys() const;

 private:
  // Lets the maps be searched by string_view without building a string.
  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  // low -> high of disjoint, non-adjacent ranges.
  using Ranges = std::map<std::string, RangeEnd, std::less<>>;
  // What is known about one incarnation.
  struct Known {
    Ranges dead;
    bool bounded = false;
    std::string first;
    std::string last;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Known, TransparentHash, std::equal_to<>> keys;
    std::vector<std::string> order;  // insertion order, for forgetting the oldest
  };

  using KeyEntry = decltype(Shard::keys)::iterator;

  Shard& ShardOf(std::string_view incarnation) const;
  // Under the lock of the incarnation's shard, returns visit(shard, its entry); false, without
  // calling it, when nothing is known about the incarnation.
  template <typename Visitor>
  bool ForKey(std::string_view incarnation, Visitor&& visit) const;
  // The incarnation's entry, added (the shard's oldest forgotten past its bound) if missing.
  // Called under the shard's lock.
  Known& EntryFor(Shard& shard, std::string_view incarnation);
  // The range holding `part`, or end().
  static Ranges::const_iterator Holding(const Ranges& ranges, std::string_view part);
  static void Insert(Ranges* ranges, std::string low, RangeEnd high, bool may_add);

  static constexpr size_t kShards = 16;
  std::unique_ptr<Shard[]> shards_;
  // Incarnations known: writes skip the lookup while nothing is recorded anywhere.
  std::atomic<size_t> key_count_{0};
};

}  // namespace cairn
