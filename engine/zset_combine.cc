// Sorted-set algebra (ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD), the
// destination rewrite the STORE commands share with ZRANGESTORE, and ZRANDMEMBER. Inputs
// may be sets, read straight from their layout (member -> "" in `sub`), each scoring 1.
#include <rocksdb/slice.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "encoding/collection_layout.h"
#include "encoding/sub_key.h"
#include "engine/member_sample.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"
#include "engine/zset.h"
#include "engine/zset_internal.h"

namespace cairn {

namespace {

// ZRANDMEMBER with a negative count builds its whole reply in memory; beyond this many
// picks it is refused rather than exhausting memory.
constexpr uint64_t kMaxRandomPicks = uint64_t{1} << 24;

// One input of the algebra: a sorted set or a set (or missing: empty).
struct Source {
  std::string_view name;
  CollectionKey key;
  bool is_set = false;
  double weight = 1;
  uint64_t size() const { return key.size(); }
};

Status LoadSource(Storage& storage, int db, std::string_view name, Source* source) {
  source->name = name;
  Status s = source->key.Load(storage, db, name, ValueType::kZSet, MemberReads::kCached);
  if (s.IsWrongType()) {
    source->is_set = true;
    s = source->key.Load(storage, db, name, ValueType::kSet, MemberReads::kCached);
  }
  return s;
}

Status LoadSources(Storage& storage, int db, const ZCombineSpec& spec,
                   std::vector<std::unique_ptr<Source>>* sources) {
  for (size_t i = 0; i < spec.keys.size(); ++i) {
    auto source = std::make_unique<Source>();
    Status s = LoadSource(storage, db, spec.keys[i], source.get());
    if (!s.ok()) return s;
    if (i < spec.weights.size()) source->weight = spec.weights[i];
    sources->push_back(std::move(source));
  }
  return Status::OK();
}

Status DecodeSourceScore(const Source& source, std::string_view value, double* score) {
  if (source.is_set) {
    *score = 1;
    return Status::OK();
  }
  return DecodeScoreValue(value, score) ? Status::OK()
                                        : Status::Corruption("malformed sorted set score");
}

// Calls visit(member, score) for every member of the source, in member order.
template <typename Visit>
Status ForEachMember(Storage& storage, const Source& source, Visit&& visit) {
  if (!source.key.exists()) return Status::OK();
  MemberIterator it(source.key, storage.sub_cf());
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    double score = 0;
    Status s = DecodeSourceScore(source, it.value(), &score);
    if (!s.ok()) return s;
    visit(it.member_part(), score);
  }
  return it.status();
}

// A point lookup of one member in a source.
Status FindMember(Storage& storage, const Source& source, std::string_view member, bool* found,
                  double* score) {
  *found = false;
  if (!source.key.exists()) return Status::OK();
  rocksdb::PinnableSlice value;
  rocksdb::Status s = source.key.GetMember(storage.sub_cf(), member, &value);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return FromRocks(s);
  *found = true;
  return DecodeSourceScore(source, std::string_view(value.data(), value.size()), score);
}

// Redis's zunionInterAggregate.
void Aggregate(ZAggregate aggregate, double value, double* target) {
  if (aggregate == ZAggregate::kSum) {
    *target += value;
    if (std::isnan(*target)) *target = 0;
  } else if (aggregate == ZAggregate::kMin) {
    *target = value < *target ? value : *target;
  } else {
    *target = value > *target ? value : *target;
  }
}

double Weighted(double score, double weight) {
  double result = score * weight;
  return std::isnan(result) ? 0 : result;
}

Status Union(Storage& storage, const std::vector<std::unique_ptr<Source>>& sources,
             ZAggregate aggregate, std::vector<ScoredMember>* result) {
  std::unordered_map<std::string, double> scores;
  for (const auto& source : sources) {
    Status s = ForEachMember(storage, *source, [&](std::string_view member, double score) {
      double value = Weighted(score, source->weight);
      auto [entry, inserted] = scores.try_emplace(std::string(member), value);
      if (!inserted) Aggregate(aggregate, value, &entry->second);
    });
    if (!s.ok()) return s;
  }
  result->reserve(scores.size());
  for (auto& [member, score] : scores) result->push_back({member, score});
  return Status::OK();
}

// Walks the smallest input and looks each member up in the others (Redis's algorithm);
// stops once `limit` members matched (0: no limit). Sources get sorted by size.
Status Intersect(Storage& storage, std::vector<std::unique_ptr<Source>>* sources,
                 ZAggregate aggregate, uint64_t limit, std::vector<ScoredMember>* result) {
  for (const auto& source : *sources) {
    if (!source->key.exists()) return Status::OK();
  }
  std::stable_sort(sources->begin(), sources->end(),
                   [](const auto& a, const auto& b) { return a->size() < b->size(); });
  const Source& smallest = *sources->front();
  MemberIterator it(smallest.key, storage.sub_cf());
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    double first = 0;
    Status s = DecodeSourceScore(smallest, it.value(), &first);
    if (!s.ok()) return s;
    double score = Weighted(first, smallest.weight);
    bool everywhere = true;
    for (size_t j = 1; j < sources->size() && everywhere; ++j) {
      const Source& other = *(*sources)[j];
      double value = first;
      if (other.name != smallest.name) {
        s = FindMember(storage, other, it.member_part(), &everywhere, &value);
        if (!s.ok()) return s;
      }
      if (everywhere) Aggregate(aggregate, value * other.weight, &score);
    }
    if (!everywhere) continue;
    result->push_back({std::string(it.member_part()), score});
    if (limit != 0 && result->size() >= limit) break;
  }
  return it.status();
}

// Members of the first input that no other input has, with their own scores.
Status Difference(Storage& storage, const std::vector<std::unique_ptr<Source>>& sources,
                  std::vector<ScoredMember>* result) {
  const Source& first = *sources.front();
  Status failure;
  Status s = ForEachMember(storage, first, [&](std::string_view member, double score) {
    if (!failure.ok()) return;
    for (size_t j = 1; j < sources.size(); ++j) {
      bool found = false;
      double ignored = 0;
      failure = FindMember(storage, *sources[j], member, &found, &ignored);
      if (found || !failure.ok()) return;
    }
    result->push_back({std::string(member), score});
  });
  return s.ok() ? failure : s;
}

void SortByScore(std::vector<ScoredMember>* members) {
  std::sort(members->begin(), members->end(), [](const ScoredMember& a, const ScoredMember& b) {
    return a.score < b.score || (a.score == b.score && a.member < b.member);
  });
}

}  // namespace

Status ZSets::Combine(int db, const ZCombineSpec& spec, std::vector<ScoredMember>* result) {
  result->clear();
  std::vector<std::unique_ptr<Source>> sources;
  Status s = LoadSources(*storage_, db, spec, &sources);
  if (!s.ok() || sources.empty()) return s;
  switch (spec.op) {
    case ZSetOp::kUnion:
      s = Union(*storage_, sources, spec.aggregate, result);
      break;
    case ZSetOp::kInter:
      s = Intersect(*storage_, &sources, spec.aggregate, 0, result);
      break;
    case ZSetOp::kDiff:
      s = Difference(*storage_, sources, result);
      break;
  }
  if (s.ok()) SortByScore(result);
  return s;
}

Status ZSets::CheckCombineSources(int db, std::span<const std::string> keys,
                                  std::vector<bool>* found) {
  if (found != nullptr) found->clear();
  for (const std::string& key : keys) {
    Source source;
    Status s = LoadSource(*storage_, db, key, &source);
    if (found != nullptr) found->push_back(!s.ok() || source.key.exists());
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status ZSets::CombineStore(int db, std::string_view destination, const ZCombineSpec& spec,
                           uint64_t* stored) {
  *stored = 0;
  std::vector<ScoredMember> result;
  Status s = Combine(db, spec, &result);
  return s.ok() ? Store(db, destination, result, stored) : s;
}

Status ZSets::InterCard(int db, std::span<const std::string> keys, uint64_t limit,
                        uint64_t* cardinality) {
  *cardinality = 0;
  ZCombineSpec spec;
  spec.op = ZSetOp::kInter;
  spec.keys = keys;
  std::vector<std::unique_ptr<Source>> sources;
  Status s = LoadSources(*storage_, db, spec, &sources);
  if (!s.ok() || sources.empty()) return s;
  std::vector<ScoredMember> result;
  s = Intersect(*storage_, &sources, ZAggregate::kSum, limit, &result);
  *cardinality = result.size();
  return s;
}

Status ZSets::Store(int db, std::string_view destination, const std::vector<ScoredMember>& members,
                    uint64_t* stored) {
  *stored = 0;
  KeyRef ref;
  StoredKey old;
  Status s = LookupKey(*storage_, db, destination, &ref, &old);
  if (!s.ok()) return s;
  KeyBatch batch(storage_);
  if (members.empty()) {
    batch.Delete(ref, old);
    s = batch.Commit();
    if (s.ok() && old.present()) storage_->ForgetAccess(db, destination);
    return s;
  }
  Metadata meta;
  meta.type = ValueType::kZSet;
  meta.version = storage_->NextVersion();
  meta.size = members.size();
  const EncodingLimits& limits = storage_->encoding_limits();
  bool large = members.size() > limits.zset_max_listpack_entries.load();
  std::string prefix = EncodeSubKeyPrefix(ref.db, ref.slot, ref.user_key, meta.version);
  double low = members.front().score;
  double high = low;
  std::string key;
  for (const ScoredMember& entry : members) {
    double score = NormalizeScore(entry.score);
    low = std::min(low, score);
    high = std::max(high, score);
    large = large || entry.member.size() > limits.zset_max_listpack_value.load();
    key.assign(prefix).append(entry.member);
    batch.batch()->Put(storage_->sub_cf(), key, EncodeScoreValue(score));
    key.assign(prefix).append(EncodeScoreMemberPart(score, entry.member));
    batch.batch()->Put(storage_->zscore_cf(), key, rocksdb::Slice());
  }
  if (large) meta.flags |= kMetaFlagLargeEncoding;
  batch.Put(ref, old, meta, EncodeScoreBounds(NormalizeScore(low), NormalizeScore(high)));
  s = batch.Commit();
  if (s.ok()) *stored = members.size();
  return s;
}

Status ZSets::RandomMembers(int db, std::string_view key, int64_t count,
                            std::vector<ScoredMember>* members) {
  members->clear();
  ZSetKey zset(*storage_);
  Status s = zset.Load(db, key);
  if (!s.ok() || !zset.exists() || count == 0) return s;
  const bool distinct = count > 0;
  const uint64_t picks = distinct ? static_cast<uint64_t>(count) : 0 - static_cast<uint64_t>(count);
  if (!distinct && picks > kMaxRandomPicks)
    return Status::InvalidArgument("ERR value is out of range");
  // Redis returns a whole set in score order (the order index), a sample in no particular
  // order. Samples seek in the member index: member names spread over the key space far more
  // evenly than encoded scores do.
  const bool whole = distinct && picks >= zset.size();
  MemberIterator it(*storage_, whole ? storage_->zscore_cf() : storage_->sub_cf(),
                    zset.collection().member_prefix());
  auto collect = [&](std::string_view part, std::string_view value) {
    double score = 0;
    std::string_view member = part;
    if (whole ? DecodeScoreMemberPart(part, &score, &member) : DecodeScoreValue(value, &score))
      members->push_back({std::string(member), score});
  };
  MemberSampler sampler(it, zset.size(), SampleRandom());
  return distinct ? sampler.PickDistinct(picks, collect) : sampler.PickWithRepeats(picks, collect);
}

}  // namespace cairn
