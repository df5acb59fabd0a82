// ZSetKey (zset_internal.h) and the member-level sorted-set operations: ZADD/ZINCRBY,
// ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK and the pops. Ranges live in zset_range.cc, the set
// algebra and ZRANDMEMBER in zset_combine.cc.
#include "engine/zset.h"

#include <rocksdb/slice.h>

#include <cmath>
#include <limits>
#include <utility>

#include "encoding/coding.h"
#include "encoding/collection_layout.h"
#include "encoding/metadata.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"
#include "engine/zset_internal.h"

namespace cairn {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

}  // namespace

std::string ScoreOrderPrefix(double score) {
  std::string out;
  PutOrderedDouble(&out, score);
  return out;
}

std::string ScoreOrderSuccessor(double score) {
  std::string out;
  PutFixed64(&out, OrderedDoubleBits(score) + 1);
  return out;
}

std::string EncodeScoreBounds(double low, double high) {
  std::string out;
  PutOrderedDouble(&out, low);
  PutOrderedDouble(&out, high);
  return out;
}

void DecodeScoreBounds(std::string_view payload, double* low, double* high) {
  if (payload.size() != 16 || !GetOrderedDouble(&payload, low) ||
      !GetOrderedDouble(&payload, high)) {
    *low = -kInfinity;
    *high = kInfinity;
  }
}

bool DecodeOrderEntry(const MemberIterator& it, double* score, std::string_view* member) {
  return DecodeScoreMemberPart(it.member_part(), score, member);
}

Status ZSetKey::Load(int db, std::string_view key, MemberReads reads) {
  db_ = db;
  name_ = key;
  Status s = key_.Load(storage_, db, key, ValueType::kZSet, reads);
  if (!s.ok()) return s;
  size_ = key_.size();
  if (key_.exists()) {
    DecodeScoreBounds(key_.payload(), &low_, &high_);
  } else {
    // Empty: the first insert sets both bounds.
    low_ = kInfinity;
    high_ = -kInfinity;
  }
  return Status::OK();
}

Status ZSetKey::LookupScore(std::string_view member, std::optional<double>* score) {
  score->reset();
  auto pending = pending_.find(std::string(member));
  if (pending != pending_.end()) {
    *score = pending->second;
    return Status::OK();
  }
  if (!key_.exists()) return Status::OK();
  rocksdb::PinnableSlice value;
  rocksdb::Status s = key_.GetMember(storage_.sub_cf(), member, &value);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return FromRocks(s);
  double stored = 0;
  if (!DecodeScoreValue(std::string_view(value.data(), value.size()), &stored)) {
    return Status::Corruption("malformed sorted set score");
  }
  *score = stored;
  return Status::OK();
}

void ZSetKey::PutMember(std::string_view member, double score) {
  rocksdb::WriteBatch* batch = batch_.batch();
  batch->Put(storage_.sub_cf(), key_.MemberKey(member), EncodeScoreValue(score));
  batch->Put(storage_.zscore_cf(), key_.MemberKey(EncodeScoreMemberPart(score, member)),
             rocksdb::Slice());
  low_ = std::min(low_, score);
  high_ = std::max(high_, score);
  pending_[std::string(member)] = score;
  changed_ = true;
}

// An order entry is written once (a score change writes a new entry) and deleted once, so
// SingleDelete applies: it vanishes together with its Put at the next flush or compaction
// instead of leaving a tombstone for later scans to step over.
void ZSetKey::DeleteOrderEntry(std::string_view member, double score) {
  batch_.batch()->SingleDelete(storage_.zscore_cf(),
                               key_.MemberKey(EncodeScoreMemberPart(score, member)));
}

void ZSetKey::Insert(std::string_view member, double score) {
  PutMember(member, score);
  ++size_;
  const EncodingLimits& limits = storage_.encoding_limits();
  if (size_ > limits.zset_max_listpack_entries.load() ||
      member.size() > limits.zset_max_listpack_value.load()) {
    key_.MarkLargeEncoding();
  }
}

void ZSetKey::ChangeScore(std::string_view member, double old_score, double new_score) {
  DeleteOrderEntry(member, old_score);
  PutMember(member, new_score);
}

void ZSetKey::Erase(std::string_view member, double score) {
  batch_.batch()->Delete(storage_.sub_cf(), key_.MemberKey(member));
  DeleteOrderEntry(member, score);
  pending_[std::string(member)] = std::nullopt;
  --size_;
  changed_ = true;
}

void ZSetKey::TightenLow(double score) { low_ = std::max(low_, score); }
void ZSetKey::TightenHigh(double score) { high_ = std::min(high_, score); }

std::unique_ptr<MemberIterator> ZSetKey::NewOrderIterator() {
  return std::make_unique<MemberIterator>(key_, storage_.zscore_cf());
}

void ZSetKey::SeekToLowest(MemberIterator& it) const {
  if (low_ == -kInfinity) {
    it.SeekToFirst();
  } else {
    it.Seek(ScoreOrderPrefix(low_));
  }
}

void ZSetKey::SeekToHighest(MemberIterator& it) const {
  if (high_ == kInfinity) {
    it.SeekToLast();
  } else {
    it.SeekForPrev(ScoreOrderSuccessor(high_));
  }
}

Status ZSetKey::Commit() {
  if (!changed_) return Status::OK();
  key_.Update(&batch_, size_, EncodeScoreBounds(low_, high_));
  Status s = batch_.Commit();
  if (s.ok() && size_ == 0) storage_.ForgetAccess(db_, name_);
  return s;
}

// --- ZADD / ZINCRBY ----------------------------------------------------------------------

namespace {

// Redis's zsetAdd for one member: *result counts it; false means the sum was NaN.
Status AddOne(ZSetKey& zset, const ZAddOptions& options, const ScoredMember& entry,
              ZAddResult* result) {
  using Condition = ZAddOptions::Condition;
  using Compare = ZAddOptions::Compare;
  std::optional<double> current;
  Status s = zset.LookupScore(entry.member, &current);
  if (!s.ok()) return s;
  double score = entry.score;
  if (!current.has_value()) {
    if (options.condition == Condition::kIfPresent) return Status::OK();
    score = NormalizeScore(score);
    zset.Insert(entry.member, score);
    result->added++;
    result->processed++;
    result->score = score;
    return Status::OK();
  }
  if (options.condition == Condition::kIfAbsent) return Status::OK();
  if (options.increment) {
    score += *current;
    if (std::isnan(score)) {
      return Status::InvalidArgument("ERR resulting score is not a number (NaN)");
    }
  }
  if ((options.compare == Compare::kLess && score >= *current) ||
      (options.compare == Compare::kGreater && score <= *current)) {
    return Status::OK();
  }
  score = NormalizeScore(score);
  result->processed++;
  result->score = score;
  if (score != *current) {
    zset.ChangeScore(entry.member, *current, score);
    result->updated++;
  }
  return Status::OK();
}

}  // namespace

Status ZSets::Add(int db, std::string_view key, const ZAddOptions& options,
                  std::span<const ScoredMember> members, ZAddResult* result) {
  *result = ZAddResult();
  ZSetKey zset(*storage_);
  Status s = zset.Load(db, key);
  if (!s.ok()) return s;
  if (!zset.exists()) {
    if (options.condition == ZAddOptions::Condition::kIfPresent) return Status::OK();
    // Redis sizes a new sorted set for the pairs given (zsetTypeCreate).
    if (members.size() > storage_->encoding_limits().zset_max_listpack_entries.load()) {
      zset.collection().MarkLargeEncoding();
    }
  }
  for (const ScoredMember& entry : members) {
    s = AddOne(zset, options, entry, result);
    if (!s.ok()) return s;
  }
  return zset.Commit();
}

Status ZSets::Remove(int db, std::string_view key, std::span<const std::string> members,
                     uint64_t* removed) {
  *removed = 0;
  ZSetKey zset(*storage_);
  Status s = zset.Load(db, key);
  if (!s.ok() || !zset.exists()) return s;
  for (const std::string& member : members) {
    std::optional<double> score;
    s = zset.LookupScore(member, &score);
    if (!s.ok()) return s;
    if (!score.has_value()) continue;
    zset.Erase(member, *score);
    ++*removed;
    if (zset.size() == 0) break;
  }
  return zset.Commit();
}

// --- Point reads -------------------------------------------------------------------------

Status ZSets::Card(int db, std::string_view key, uint64_t* size) {
  CollectionKey collection;
  Status s = collection.Load(*storage_, db, key, ValueType::kZSet);
  *size = s.ok() ? collection.size() : 0;
  return s;
}

Status ZSets::Score(int db, std::string_view key, std::string_view member,
                    std::optional<double>* score) {
  score->reset();
  ZSetKey zset(*storage_);
  Status s = zset.Load(db, key, MemberReads::kCached);
  if (!s.ok()) return s;
  return zset.LookupScore(member, score);
}

Status ZSets::Scores(int db, std::string_view key, std::span<const std::string> members,
                     std::vector<std::optional<double>>* scores) {
  scores->assign(members.size(), std::nullopt);
  ZSetKey zset(*storage_);
  Status s = zset.Load(db, key, MemberReads::kCached);
  if (!s.ok()) return s;
  for (size_t i = 0; i < members.size() && s.ok(); ++i) {
    s = zset.LookupScore(members[i], &(*scores)[i]);
  }
  return s;
}

// Walks from both ends at once towards the member's order entry, so the cost is
// O(min(rank, size - rank)).
Status ZSets::Rank(int db, std::string_view key, std::string_view member, bool reverse,
                   std::optional<uint64_t>* rank) {
  rank->reset();
  ZSetKey zset(*storage_);
  Status s = zset.Load(db, key, MemberReads::kCached);
  if (!s.ok()) return s;
  std::optional<double> score;
  s = zset.LookupScore(member, &score);
  if (!s.ok() || !score.has_value()) return s;
  const std::string target = EncodeScoreMemberPart(*score, member);
  std::unique_ptr<MemberIterator> forward = zset.NewOrderIterator();
  std::unique_ptr<MemberIterator> backward = zset.NewOrderIterator();
  zset.SeekToLowest(*forward);
  zset.SeekToHighest(*backward);
  const uint64_t size = zset.size();
  for (uint64_t steps = 0; steps < size && forward->Valid() && backward->Valid(); ++steps) {
    uint64_t ascending = 0;
    if (forward->member_part() == target) {
      ascending = steps;
    } else if (backward->member_part() == target) {
      ascending = size - 1 - steps;
    } else {
      forward->Next();
      backward->Prev();
      continue;
    }
    *rank = reverse ? size - 1 - ascending : ascending;
    return Status::OK();
  }
  s = forward->status();
  if (s.ok()) s = backward->status();
  return s.ok() ? Status::Corruption("sorted set order index misses a member") : s;
}

// --- Pops --------------------------------------------------------------------------------

Status ZSets::Pop(int db, std::string_view key, bool max, uint64_t count,
                  std::vector<ScoredMember>* popped) {
  popped->clear();
  ZSetKey zset(*storage_);
  Status s = zset.Load(db, key);
  if (!s.ok() || !zset.exists() || count == 0) return s;
  std::unique_ptr<MemberIterator> it = zset.NewOrderIterator();
  if (max) {
    zset.SeekToHighest(*it);
  } else {
    zset.SeekToLowest(*it);
  }
  const uint64_t wanted = std::min(count, zset.size());
  while (popped->size() < wanted && it->Valid()) {
    double score = 0;
    std::string_view member;
    if (!DecodeOrderEntry(*it, &score, &member)) return Status::Corruption("bad order entry");
    popped->push_back({std::string(member), score});
    zset.Erase(member, score);
    if (max) {
      zset.TightenHigh(score);
      it->Prev();
    } else {
      zset.TightenLow(score);
      it->Next();
    }
  }
  s = it->status();
  if (!s.ok()) return s;
  return zset.Commit();
}

}  // namespace cairn
