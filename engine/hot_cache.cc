// The hot cache: sharding, statistics and the replay of committed batches into the shards.
#include "engine/hot_cache.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <string>

#include "engine/dead_ranges.h"
#include "engine/member_cache.h"

namespace cairn {

namespace {

constexpr size_t kMaxShards = 64;
constexpr size_t kMinShards = 4;
constexpr size_t kBytesPerShard = size_t{1} << 20;

size_t ShardCountFor(size_t capacity_bytes) {
  size_t wanted = std::clamp(capacity_bytes / kBytesPerShard, kMinShards, kMaxShards);
  return std::bit_floor(wanted);
}

std::string_view View(const rocksdb::Slice& slice) {
  return std::string_view(slice.data(), slice.size());
}

}  // namespace

// Walks a batch and mirrors each change to the meta column family into the cache: the new
// value after a successful commit, or a plain erase when the commit failed. A change to a
// member (in `sub` or `zscore`) erases its incarnation's snapshot either way. Range deletes
// over many keys are collected and applied at the end in one pass over the shards (FLUSHALL
// names every db): erasing later than in batch order only ever drops more, never keeps a
// stale entry.
class HotCache::BatchReplayer : public rocksdb::WriteBatch::Handler {
 public:
  BatchReplayer(HotCache* cache, uint32_t meta_cf_id, bool committed)
      : cache_(cache), meta_cf_id_(meta_cf_id), committed_(committed) {}
  // Applies the collected range deletes; call once Iterate is done.
  void Finish() {
    if (!ranges_.empty()) cache_->EraseRanges(std::move(ranges_));
    ranges_.clear();
  }

  rocksdb::Status PutCF(uint32_t cf_id, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    if (cf_id != meta_cf_id_) {
      MemberWritten(cf_id, key, /*put=*/true);
      return rocksdb::Status::OK();
    }
    if (committed_) {
      cache_->Put(View(key), View(value));
    } else {
      cache_->Erase(View(key));
    }
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t cf_id, const rocksdb::Slice& key) override {
    if (cf_id == meta_cf_id_) {
      cache_->Erase(View(key));
    } else {
      MemberWritten(cf_id, key, /*put=*/false);
    }
    return rocksdb::Status::OK();
  }
  rocksdb::Status SingleDeleteCF(uint32_t cf_id, const rocksdb::Slice& key) override {
    return DeleteCF(cf_id, key);
  }
  // The engine never merges into meta or members; were it to, the merged value is unknown
  // here (and a merge may bring a member back, as a put does).
  rocksdb::Status MergeCF(uint32_t cf_id, const rocksdb::Slice& key,
                          const rocksdb::Slice&) override {
    if (cf_id == meta_cf_id_) return DeleteCF(cf_id, key);
    MemberWritten(cf_id, key, /*put=*/true);
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteRangeCF(uint32_t cf_id, const rocksdb::Slice& begin,
                                const rocksdb::Slice& end) override {
    MemberColumn column;
    if (cf_id == meta_cf_id_) {
      ranges_.push_back({begin.ToString(), end.ToString()});
    } else if (ColumnOf(cf_id, &column)) {
      EraseSnapshotsIn(column, View(begin), View(end));
    }
    return rocksdb::Status::OK();
  }

 private:
  // A member put or deleted: its collection's snapshot goes, and the dead ranges learn it.
  // A delete whose commit failed may not have happened, so it teaches them nothing.
  void MemberWritten(uint32_t cf_id, const rocksdb::Slice& key, bool put) {
    MemberColumn column;
    if (!ColumnOf(cf_id, &column) || !MemberSnapshotKeyOf(column, View(key), &scratch_)) return;
    DeadRanges* dead = cache_->dead_ranges_;
    if (dead != nullptr) {
      // The snapshot key is marker | column | member prefix; the member-part follows it.
      std::string_view part = View(key).substr(scratch_.size() - 2);
      if (put) {
        dead->Put(scratch_, part);
      } else if (committed_) {
        dead->Delete(scratch_, part);
      }
    }
    EraseSnapshot();
  }

  bool ColumnOf(uint32_t cf_id, MemberColumn* column) const {
    if (cf_id == cache_->sub_cf_id_) {
      *column = MemberColumn::kSub;
    } else if (cf_id == cache_->zscore_cf_id_) {
      *column = MemberColumn::kZScore;
    } else {
      return false;
    }
    return true;
  }

  // Erases the snapshot whose key is in scratch_. A command mostly writes many members of
  // one collection in a row: the batch is committed as a whole, so one erase covers them.
  void EraseSnapshot() {
    if (scratch_ == last_erased_) return;
    cache_->Erase(scratch_);
    last_erased_.swap(scratch_);
  }

  // Members in [begin, end) are gone: LTRIM and long pops drop a range inside one
  // incarnation; a flush drops whole dbs, so every snapshot whose prefix lies in the range
  // goes, as does the one of the incarnation `begin` falls inside.
  void EraseSnapshotsIn(MemberColumn column, std::string_view begin, std::string_view end) {
    std::string last;
    bool begin_is_member = MemberSnapshotKeyOf(column, begin, &scratch_);
    bool within_one =
        begin_is_member && MemberSnapshotKeyOf(column, end, &last) && last == scratch_;
    if (begin_is_member) EraseSnapshot();
    if (!within_one) {
      ranges_.push_back({MemberSnapshotKey(column, begin), MemberSnapshotKey(column, end)});
    }
  }

  HotCache* cache_;
  uint32_t meta_cf_id_;
  bool committed_;
  std::vector<KeyRange> ranges_;
  std::string scratch_;
  std::string last_erased_;
};

HotCache::HotCache(size_t capacity_bytes, size_t shard_count) : capacity_(capacity_bytes) {
  if (shard_count == 0) shard_count = ShardCountFor(capacity_bytes);
  shard_count = std::bit_floor(std::clamp<size_t>(shard_count, 1, kMaxShards));
  for (size_t i = 0; i < shard_count; i++) shards_.push_back(std::make_unique<CacheShard>());
  SetCapacity(capacity_bytes);
}

HashedKey HotCache::Hash(std::string_view key) const {
  return HashedKey{std::hash<std::string_view>{}(key), key};
}

CacheShard& HotCache::ShardOf(const HashedKey& key) const {
  // High bits pick the shard; the shard's map and stamps use the low ones.
  return *shards_[(key.hash >> 40) & (shards_.size() - 1)];
}

void HotCache::SetMemberColumnFamilies(uint32_t sub_cf_id, uint32_t zscore_cf_id,
                                       DeadRanges* dead_ranges) {
  sub_cf_id_ = sub_cf_id;
  zscore_cf_id_ = zscore_cf_id;
  dead_ranges_ = dead_ranges;
}

std::shared_ptr<const CachedValue> HotCache::LookupValue(std::string_view key, Ticket* ticket) {
  ticket->valid = false;
  if (!enabled()) return nullptr;
  HashedKey hashed = Hash(key);
  std::shared_ptr<const CachedValue> value = ShardOf(hashed).Lookup(hashed, &ticket->stamp);
  ticket->valid = value == nullptr;
  return value;
}

void HotCache::Prefetch(std::string_view meta_key, PrefetchStage stage) const {
  if (!enabled()) return;
  HashedKey hashed = Hash(meta_key);
  const CacheShard& shard = ShardOf(hashed);
  if (stage == PrefetchStage::kSlot) {
    shard.PrefetchSlot(hashed.hash);
  } else {
    shard.PrefetchEntry(hashed.hash);
  }
}

std::shared_ptr<const CachedMeta> HotCache::Lookup(std::string_view meta_key, Ticket* ticket) {
  // Only meta entries live under meta keys (snapshot keys start with a byte no db has).
  return std::static_pointer_cast<const CachedMeta>(LookupValue(meta_key, ticket));
}

bool HotCache::Admissible(std::string_view key, size_t value_bytes) const {
  size_t per_shard = capacity() / shards_.size();
  return key.size() + value_bytes + CacheShard::kEntryOverhead <=
         CacheShard::MaxChargeFor(per_shard);
}

bool HotCache::Fill(const Ticket& ticket, std::string_view meta_key, std::string_view raw) {
  if (!ticket.valid || !Admissible(meta_key, raw.size())) return false;
  return FillValue(ticket, meta_key, CachedMeta::Decode(raw));
}

bool HotCache::FillValue(const Ticket& ticket, std::string_view key,
                         std::shared_ptr<const CachedValue> value) {
  if (!ticket.valid || value == nullptr || !Admissible(key, value->bytes())) return false;
  HashedKey hashed = Hash(key);
  return ShardOf(hashed).Fill(hashed, ticket.stamp, std::move(value));
}

void HotCache::Put(std::string_view meta_key, std::string_view raw) {
  HashedKey key = Hash(meta_key);
  // Too big a value is not copied just to be refused.
  std::shared_ptr<const CachedMeta> value =
      Admissible(meta_key, raw.size()) ? CachedMeta::Decode(raw) : nullptr;
  if (value == nullptr) {
    ShardOf(key).Erase(key);
  } else {
    ShardOf(key).Put(key, std::move(value));
  }
}

void HotCache::Erase(std::string_view meta_key) {
  HashedKey key = Hash(meta_key);
  ShardOf(key).Erase(key);
}

void HotCache::EraseRange(std::string_view begin, std::string_view end) {
  EraseRanges({KeyRange{std::string(begin), std::string(end)}});
}

void HotCache::EraseRanges(std::vector<KeyRange> ranges) {
  std::vector<KeyRange> merged = MergeKeyRanges(std::move(ranges));
  for (const auto& shard : shards_) shard->EraseRanges(merged);
}

void HotCache::ApplyCommitted(const rocksdb::WriteBatch& batch, uint32_t meta_cf_id) {
  BatchReplayer replayer(this, meta_cf_id, /*committed=*/true);
  // The replayer accepts every record type; Iterate only fails on a malformed batch, which
  // RocksDB would have refused to commit.
  batch.Iterate(&replayer);
  replayer.Finish();
}

void HotCache::Invalidate(const rocksdb::WriteBatch& batch, uint32_t meta_cf_id) {
  BatchReplayer replayer(this, meta_cf_id, /*committed=*/false);
  batch.Iterate(&replayer);
  replayer.Finish();
}

void HotCache::SetCapacity(size_t bytes) {
  capacity_.store(bytes, std::memory_order_relaxed);
  size_t per_shard = bytes / shards_.size();
  for (const auto& shard : shards_) shard->SetCapacity(per_shard);
}

HotCacheStats HotCache::Stats() const {
  HotCacheStats stats;
  stats.capacity_bytes = capacity();
  for (const auto& shard : shards_) {
    stats.hits += shard->hits();
    stats.misses += shard->misses();
    stats.evictions += shard->evictions();
    stats.entries += shard->entries();
    stats.usage_bytes += shard->usage();
  }
  return stats;
}

void HotCache::ResetStats() {
  for (const auto& shard : shards_) shard->ResetStats();
}

bool HotCache::InMainForTest(std::string_view meta_key) const {
  HashedKey key = Hash(meta_key);
  return ShardOf(key).InMainForTest(key);
}

}  // namespace cairn
