// Whole small collections in the hot cache (issue 5): MemberSnapshot, every member of one
// incarnation of a hash, set, list or sorted set in one column family (`sub`, or `zscore`
// for a sorted set's order), sorted by member-part, and the snapshot keys it is cached under
// in the same HotCache as meta entries (same budget, eviction and statistics).
//
// Coherence follows the meta entries' rules (hot_cache.h): a reader Looks the snapshot up
// and, on a miss, reads the members with one iterator pass and Fills with the ticket of
// that Lookup; every committed or failed write to a member erases its incarnation's
// snapshot (HotCache's batch replay), which also refuses fills in flight. The member prefix
// holds the version, so a deleted and re-created key never meets the old snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cache_shard.h"

namespace rocksdb {
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace cairn {

class Storage;

// Collections up to these limits are cached whole. Filling reads every member once, which
// at this size costs about what a few point lookups do (one or two data blocks), and one
// snapshot stays a small slice of a shard. 128 is also Redis's listpack limit for zsets.
inline constexpr uint64_t kSnapshotMaxMembers = 128;
inline constexpr size_t kSnapshotMaxBytes = size_t{8} << 10;  // member-parts plus values

// A collection longer than that is cached as a window instead: its first members in
// member-part order, which for a list are its head elements (LRANGE 0 99 of a long feed).
// Shorter reads use a cached window but do not fill one: filling reads up to these limits.
inline constexpr uint64_t kWindowMaxMembers = 128;
inline constexpr size_t kWindowMaxBytes = size_t{32} << 10;
inline constexpr uint64_t kWindowMinFillRead = 16;

// The column family a snapshot mirrors; the tag is part of its key.
enum class MemberColumn : char { kSub = 's', kZScore = 'z' };

// First byte of every snapshot key. Meta keys start with a physical db, which is at most
// 254, so the two kinds of keys never collide.
inline constexpr char kSnapshotKeyMarker = '\xff';

// marker | column tag | member prefix (db | slot | len | user key | version).
std::string MemberSnapshotKey(MemberColumn column, std::string_view member_prefix);
// The snapshot key of the incarnation a `sub`/`zscore` key belongs to; false when `member_key`
// is no member key (then no snapshot can hold it).
bool MemberSnapshotKeyOf(MemberColumn column, std::string_view member_key,
                         std::string* snapshot_key);

class MemberSnapshot final : public CachedValue {
 public:
  // Collects members in member-part order.
  class Builder {
   public:
    Builder(uint64_t max_members = kSnapshotMaxMembers, size_t max_bytes = kSnapshotMaxBytes);
    // False once the members would exceed the limits (the member is not added).
    bool Add(std::string_view member_part, std::string_view value);
    // `window`: the members are only the first ones of a longer collection.
    std::shared_ptr<const MemberSnapshot> Finish(bool window = false);

   private:
    std::shared_ptr<MemberSnapshot> snapshot_;
    uint64_t max_members_;
    size_t max_bytes_;
  };

  // A marker cached for a collection with few members but too many bytes: readers then go
  // to RocksDB straight away instead of reading it whole again on every miss.
  static std::shared_ptr<const MemberSnapshot> Oversized();

  bool oversized() const { return oversized_; }
  bool window() const { return window_; }
  size_t size() const { return slots_.size(); }
  std::string_view member_part(size_t index) const;
  std::string_view value(size_t index) const;
  // Index of the first member whose member-part is >= `member_part`; size() if none.
  size_t LowerBound(std::string_view member_part) const;
  // The member's value, or false when the collection has no such member.
  bool Find(std::string_view member_part, std::string_view* value) const;

  size_t bytes() const override;

 private:
  struct Slot {
    uint32_t offset;  // of the member-part in data_; its value follows it
    uint32_t part_size;
    uint32_t value_size;
  };

  std::string data_;
  std::vector<Slot> slots_;
  bool oversized_ = false;
  bool window_ = false;
};

// The snapshot of incarnation `member_prefix` in `cf` (the `sub` or `zscore` family of
// `storage`) holding `size` members (from its metadata); on a miss the members are read once
// and cached. nullptr when there is none to serve: the cache is off, a transaction is
// active on this thread (its pending writes are only seen through RocksDB), or the
// collection is too large. A read error is left for the caller's own RocksDB read to meet.
std::shared_ptr<const MemberSnapshot> LoadMemberSnapshot(Storage& storage,
                                                         rocksdb::ColumnFamilyHandle* cf,
                                                         const std::string& member_prefix,
                                                         uint64_t size);

// The window (see kWindowMaxMembers) of incarnation `member_prefix` in `cf`, a collection of
// more than kSnapshotMaxMembers members; on a miss it is read and cached only if
// `may_fill`. nullptr when there is none to serve (as LoadMemberSnapshot). The window may
// hold fewer members than a caller needs.
std::shared_ptr<const MemberSnapshot> LoadMemberWindow(Storage& storage,
                                                       rocksdb::ColumnFamilyHandle* cf,
                                                       const std::string& member_prefix,
                                                       bool may_fill);

}  // namespace cairn
