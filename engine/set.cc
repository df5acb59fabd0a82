// Set operations (see set.h): member writes, point lookups, random picks and the algebra.
#include "engine/set.h"

#include <rocksdb/slice.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <unordered_set>

#include "encoding/collection_layout.h"
#include "encoding/metadata.h"
#include "encoding/number_text.h"
#include "encoding/sub_key.h"
#include "engine/collection.h"
#include "engine/key_batch.h"
#include "engine/member_sample.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {

namespace {

// The sources of one algebra command; deque keeps each CollectionKey in place.
using SetKeys = std::deque<CollectionKey>;
// Receives the members of a result in order; returns false to stop early (SINTERCARD LIMIT).
using MemberSink = std::function<bool(std::string_view member)>;

// Redis 7.0 keeps a set in an intset while every member is an integer in string2ll's strict
// sense (which also means canonical: no "+1", "01" or "-0").
bool IsIntsetMember(std::string_view member) {
  int64_t value = 0;
  return ParseInt64(member, &value) && FormatInt64(value) == member;
}

bool ExceedsIntsetEntries(Storage& storage, uint64_t size) {
  return size > storage.encoding_limits().set_max_intset_entries.load(std::memory_order_relaxed);
}

MemberIterator MembersOf(const CollectionKey& set) {
  return MemberIterator(set, set.storage().sub_cf());
}

// One point lookup; a missing key holds nothing.
Status Contains(const CollectionKey& set, std::string_view member, bool* found) {
  *found = false;
  if (!set.exists()) return Status::OK();
  rocksdb::PinnableSlice value;
  rocksdb::Status s = set.GetMember(set.storage().sub_cf(), member, &value);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return FromRocks(s);
  *found = true;
  return Status::OK();
}

// True when `member` is in at least one of `sets`.
Status ContainedInAny(const std::vector<const CollectionKey*>& sets, std::string_view member,
                      bool* found) {
  for (const CollectionKey* set : sets) {
    Status s = Contains(*set, member, found);
    if (!s.ok() || *found) return s;
  }
  return Status::OK();
}

Status ContainedInAll(const std::vector<const CollectionKey*>& sets, std::string_view member,
                      bool* found) {
  *found = true;
  for (const CollectionKey* set : sets) {
    Status s = Contains(*set, member, found);
    if (!s.ok() || !*found) return s;
  }
  return Status::OK();
}

Status AppendAll(MemberIterator& members, std::vector<std::string>* out) {
  for (members.SeekToFirst(); members.Valid(); members.Next()) {
    out->emplace_back(members.member_part());
  }
  return members.status();
}

// The existing sets of `sets` other than `skip`, each incarnation once: probing a key named
// twice, or the walked set itself, again would only repeat work.
std::vector<const CollectionKey*> OtherExistingSets(const SetKeys& sets,
                                                    const CollectionKey* skip) {
  std::vector<const CollectionKey*> others;
  for (const CollectionKey& set : sets) {
    bool repeated = set.member_prefix() == skip->member_prefix();
    for (const CollectionKey* other : others) {
      repeated = repeated || other->member_prefix() == set.member_prefix();
    }
    if (set.exists() && !repeated) others.push_back(&set);
  }
  return others;
}

// Loads every key in order (Redis looks them all up, missing or not), stopping at the first
// one of another type.
Status LoadSets(Storage& storage, int db, std::span<const std::string> keys, SetKeys* sets,
                KeyLookups* lookups) {
  lookups->clear();
  for (const std::string& key : keys) {
    Status s = sets->emplace_back().Load(storage, db, key, ValueType::kSet, MemberReads::kCached);
    if (s.IsWrongType()) lookups->push_back(true);
    if (!s.ok()) return s;
    lookups->push_back(sets->back().exists());
  }
  return Status::OK();
}

// Walks the smallest set and probes the others: a tiny set against a huge one reads only
// the tiny one. Any missing key makes the result empty.
Status Intersect(const SetKeys& sets, const MemberSink& sink) {
  const CollectionKey* smallest = nullptr;
  for (const CollectionKey& set : sets) {
    if (!set.exists()) return Status::OK();
    if (smallest == nullptr || set.size() < smallest->size()) smallest = &set;
  }
  if (smallest == nullptr) return Status::OK();
  std::vector<const CollectionKey*> others = OtherExistingSets(sets, smallest);
  MemberIterator members = MembersOf(*smallest);
  for (members.SeekToFirst(); members.Valid(); members.Next()) {
    bool in_all = false;
    Status s = ContainedInAll(others, members.member_part(), &in_all);
    if (!s.ok()) return s;
    if (in_all && !sink(members.member_part())) break;
  }
  return members.status();
}

// Merges the sets' member iterators (all in byte order), dropping repeats.
Status Unite(const SetKeys& sets, const MemberSink& sink) {
  std::vector<std::unique_ptr<MemberIterator>> iterators;
  std::unordered_set<std::string_view> prefixes;
  for (const CollectionKey& set : sets) {
    if (!set.exists() || !prefixes.insert(set.member_prefix()).second) continue;
    auto members = std::make_unique<MemberIterator>(set, set.storage().sub_cf());
    members->SeekToFirst();
    if (members->Valid()) {
      iterators.push_back(std::move(members));
    } else if (Status s = members->status(); !s.ok()) {
      return s;
    }
  }
  auto later = [&iterators](size_t a, size_t b) {
    return iterators[a]->member_part() > iterators[b]->member_part();
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  for (size_t i = 0; i < iterators.size(); ++i) heap.push(i);
  std::string last;
  bool have_last = false;
  while (!heap.empty()) {
    size_t i = heap.top();
    heap.pop();
    MemberIterator& members = *iterators[i];
    std::string_view member = members.member_part();
    if (!have_last || member != last) {
      if (!sink(member)) return Status::OK();
      last.assign(member);
      have_last = true;
    }
    members.Next();
    if (members.Valid()) {
      heap.push(i);
    } else if (Status s = members.status(); !s.ok()) {
      return s;
    }
  }
  return Status::OK();
}

// Walks the first set and probes the others. The first key named again empties the result.
Status Subtract(const SetKeys& sets, const MemberSink& sink) {
  const CollectionKey& first = sets.front();
  if (!first.exists()) return Status::OK();
  for (size_t i = 1; i < sets.size(); ++i) {
    if (sets[i].member_prefix() == first.member_prefix()) return Status::OK();
  }
  std::vector<const CollectionKey*> others = OtherExistingSets(sets, &first);
  MemberIterator members = MembersOf(first);
  for (members.SeekToFirst(); members.Valid(); members.Next()) {
    bool in_any = false;
    Status s = ContainedInAny(others, members.member_part(), &in_any);
    if (!s.ok()) return s;
    if (!in_any && !sink(members.member_part())) break;
  }
  return members.status();
}

Status Evaluate(SetOperation op, const SetKeys& sets, const MemberSink& sink) {
  if (sets.empty()) return Status::OK();
  switch (op) {
    case SetOperation::kInter:
      return Intersect(sets, sink);
    case SetOperation::kUnion:
      return Unite(sets, sink);
    case SetOperation::kDiff:
      return Subtract(sets, sink);
  }
  return Status::InvalidArgument("ERR unknown set operation");
}

}  // namespace

Status Sets::Add(int db, std::string_view key, std::span<const std::string> members,
                 uint64_t* added, bool* created) {
  *added = 0;
  *created = false;
  CollectionKey set;
  Status s = set.Load(*storage_, db, key, ValueType::kSet);
  if (!s.ok()) return s;
  KeyBatch batch(storage_);
  std::unordered_set<std::string_view> seen;
  bool large = false;
  for (const std::string& member : members) {
    if (!seen.insert(member).second) continue;
    bool present = false;
    s = Contains(set, member, &present);
    if (!s.ok()) return s;
    if (present) continue;
    batch.batch()->Put(storage_->sub_cf(), set.MemberKey(member), rocksdb::Slice());
    large = large || !IsIntsetMember(member);
    ++*added;
  }
  if (*added == 0) return Status::OK();
  uint64_t new_size = set.size() + *added;
  if (large || ExceedsIntsetEntries(*storage_, new_size)) set.MarkLargeEncoding();
  set.Update(&batch, new_size);
  s = batch.Commit();
  if (!s.ok()) {
    *added = 0;
    return s;
  }
  *created = !set.exists();
  return Status::OK();
}

Status Sets::Remove(int db, std::string_view key, std::span<const std::string> members,
                    uint64_t* removed, bool* deleted) {
  *removed = 0;
  *deleted = false;
  CollectionKey set;
  Status s = set.Load(*storage_, db, key, ValueType::kSet);
  if (!s.ok() || !set.exists()) return s;
  KeyBatch batch(storage_);
  std::unordered_set<std::string_view> seen;
  uint64_t count = 0;
  for (const std::string& member : members) {
    if (!seen.insert(member).second) continue;
    bool present = false;
    s = Contains(set, member, &present);
    if (!s.ok()) return s;
    if (!present) continue;
    batch.batch()->Delete(storage_->sub_cf(), set.MemberKey(member));
    ++count;
  }
  if (count == 0) return Status::OK();
  uint64_t new_size = count >= set.size() ? 0 : set.size() - count;
  set.Update(&batch, new_size);
  s = batch.Commit();
  if (!s.ok()) return s;
  *removed = count;
  *deleted = new_size == 0;
  if (*deleted) storage_->ForgetAccess(db, key);
  return Status::OK();
}

Status Sets::Card(int db, std::string_view key, uint64_t* size) {
  CollectionKey set;
  Status s = set.Load(*storage_, db, key, ValueType::kSet);
  *size = s.ok() ? set.size() : 0;
  return s;
}

Status Sets::IsMember(int db, std::string_view key, std::span<const std::string> members,
                      std::vector<bool>* flags, bool* exists) {
  flags->assign(members.size(), false);
  CollectionKey set;
  Status s = set.Load(*storage_, db, key, ValueType::kSet, MemberReads::kCached);
  *exists = s.ok() && set.exists();
  if (!*exists) return s;
  for (size_t i = 0; i < members.size(); ++i) {
    bool found = false;
    s = Contains(set, members[i], &found);
    if (!s.ok()) return s;
    (*flags)[i] = found;
  }
  return Status::OK();
}

Status Sets::Move(int db, std::string_view source, std::string_view destination,
                  std::string_view member, SetMoveResult* result) {
  *result = SetMoveResult();
  // Redis answers 0 for a missing source before it looks at the destination's type.
  CollectionKey from;
  Status s = from.Load(*storage_, db, source, ValueType::kSet);
  if (!s.ok() || !from.exists()) return s;
  CollectionKey to;
  s = to.Load(*storage_, db, destination, ValueType::kSet);
  if (!s.ok()) return s;
  s = Contains(from, member, &result->moved);
  if (!s.ok() || !result->moved || source == destination) return s;
  bool already_there = false;
  s = Contains(to, member, &already_there);
  if (!s.ok()) return s;
  KeyBatch batch(storage_);
  batch.batch()->Delete(storage_->sub_cf(), from.MemberKey(member));
  uint64_t source_size = from.size() - 1;
  from.Update(&batch, source_size);
  if (!already_there) {
    batch.batch()->Put(storage_->sub_cf(), to.MemberKey(member), rocksdb::Slice());
    if (!IsIntsetMember(member) || ExceedsIntsetEntries(*storage_, to.size() + 1)) {
      to.MarkLargeEncoding();
    }
    to.Update(&batch, to.size() + 1);
  }
  s = batch.Commit();
  if (!s.ok()) {
    result->moved = false;
    return s;
  }
  result->source_deleted = source_size == 0;
  result->added = !already_there;
  result->destination_created = !already_there && !to.exists();
  if (result->source_deleted) storage_->ForgetAccess(db, source);
  return Status::OK();
}

Status Sets::Pop(int db, std::string_view key, uint64_t count, std::vector<std::string>* popped,
                 bool* deleted) {
  popped->clear();
  *deleted = false;
  CollectionKey set;
  Status s = set.Load(*storage_, db, key, ValueType::kSet);
  if (!s.ok() || !set.exists() || count == 0) return s;
  MemberIterator members = MembersOf(set);
  KeyBatch batch(storage_);
  uint64_t new_size = 0;
  if (count >= set.size()) {
    // Taking everything is a whole-key delete; the compaction filter drops the members.
    s = AppendAll(members, popped);
  } else {
    MemberSampler sampler(members, set.size(), SampleRandom());
    s = sampler.PickDistinct(count, [&](std::string_view member, std::string_view) {
      popped->emplace_back(member);
      batch.batch()->Delete(storage_->sub_cf(), set.MemberKey(member));
    });
    new_size = set.size() - std::min<uint64_t>(popped->size(), set.size());
  }
  if (!s.ok()) return s;
  set.Update(&batch, new_size);
  s = batch.Commit();
  if (!s.ok()) {
    popped->clear();
    return s;
  }
  *deleted = new_size == 0;
  if (*deleted) storage_->ForgetAccess(db, key);
  return Status::OK();
}

Status Sets::RandomMembers(int db, std::string_view key, int64_t count,
                           std::vector<std::string>* out, bool* exists) {
  out->clear();
  CollectionKey set;
  Status s = set.Load(*storage_, db, key, ValueType::kSet);
  *exists = s.ok() && set.exists();
  if (!*exists || count == 0) return s;
  MemberIterator members = MembersOf(set);
  auto collect = [out](std::string_view member, std::string_view) { out->emplace_back(member); };
  MemberSampler sampler(members, set.size(), SampleRandom());
  if (count < 0) {
    uint64_t wanted = static_cast<uint64_t>(-(count + 1)) + 1;  // -INT64_MIN safe
    return sampler.PickWithRepeats(wanted, collect);
  }
  if (static_cast<uint64_t>(count) >= set.size()) return AppendAll(members, out);
  return sampler.PickDistinct(count, collect);
}

Status Sets::Combine(int db, SetOperation op, std::span<const std::string> keys,
                     std::vector<std::string>* members, KeyLookups* lookups) {
  members->clear();
  SetKeys sets;
  Status s = LoadSets(*storage_, db, keys, &sets, lookups);
  if (!s.ok()) return s;
  return Evaluate(op, sets, [members](std::string_view member) {
    members->emplace_back(member);
    return true;
  });
}

Status Sets::InterCard(int db, std::span<const std::string> keys, uint64_t limit,
                       uint64_t* cardinality, KeyLookups* lookups) {
  *cardinality = 0;
  SetKeys sets;
  Status s = LoadSets(*storage_, db, keys, &sets, lookups);
  if (!s.ok()) return s;
  return Evaluate(SetOperation::kInter, sets, [cardinality, limit](std::string_view) {
    ++*cardinality;
    return limit == 0 || *cardinality < limit;
  });
}

Status Sets::Store(int db, SetOperation op, std::string_view destination,
                   std::span<const std::string> keys, SetStoreResult* result, KeyLookups* lookups) {
  *result = SetStoreResult();
  SetKeys sets;
  Status s = LoadSets(*storage_, db, keys, &sets, lookups);
  if (!s.ok()) return s;
  KeyRef ref;
  StoredKey old;
  s = LookupKey(*storage_, db, destination, &ref, &old);
  if (!s.ok()) return s;
  // A new incarnation: the sources are read while the result is written under another
  // version, so a destination that is also a source is read unchanged.
  Metadata meta;
  meta.type = ValueType::kSet;
  meta.version = storage_->NextVersion();
  std::string member_key = EncodeSubKeyPrefix(ref.db, ref.slot, ref.user_key, meta.version);
  const size_t prefix_size = member_key.size();
  KeyBatch batch(storage_);
  bool large = false;
  s = Evaluate(op, sets, [&](std::string_view member) {
    member_key.resize(prefix_size);
    member_key.append(member);
    batch.batch()->Put(storage_->sub_cf(), member_key, rocksdb::Slice());
    large = large || !IsIntsetMember(member);
    ++meta.size;
    return true;
  });
  if (!s.ok()) return s;
  if (meta.size == 0) {
    batch.Delete(ref, old);
  } else {
    if (large || ExceedsIntsetEntries(*storage_, meta.size)) meta.flags |= kMetaFlagLargeEncoding;
    batch.Put(ref, old, meta, {});
  }
  s = batch.Commit();
  if (!s.ok()) return s;
  result->size = meta.size;
  result->destination_existed = old.live();
  if (meta.size == 0 && old.present()) storage_->ForgetAccess(db, destination);
  return Status::OK();
}

}  // namespace cairn
