// Sorted-set ranges: ZRANGE and its variants, ZCOUNT, ZLEXCOUNT, ZREMRANGEBY* and
// ZRANGESTORE. Score and lex ranges Seek into the order index and stop at their end bound;
// rank ranges walk from whichever end of the index is nearer.
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "encoding/collection_layout.h"
#include "engine/storage.h"
#include "engine/zset.h"
#include "engine/zset_internal.h"

namespace cairn {

namespace {

using Visitor = std::function<void(double score, std::string_view member)>;

bool AboveMin(double score, const ScoreBound& min) {
  return min.exclusive ? score > min.value : score >= min.value;
}
bool BelowMax(double score, const ScoreBound& max) {
  return max.exclusive ? score < max.value : score <= max.value;
}

bool LexAboveMin(std::string_view member, const LexBound& min) {
  switch (min.kind) {
    case LexBound::Kind::kMinusInfinity:
      return true;
    case LexBound::Kind::kPlusInfinity:
      return false;
    case LexBound::Kind::kInclusive:
      return member >= min.value;
    case LexBound::Kind::kExclusive:
      break;
  }
  return member > min.value;
}
bool LexBelowMax(std::string_view member, const LexBound& max) {
  switch (max.kind) {
    case LexBound::Kind::kMinusInfinity:
      return false;
    case LexBound::Kind::kPlusInfinity:
      return true;
    case LexBound::Kind::kInclusive:
      return member <= max.value;
    case LexBound::Kind::kExclusive:
      break;
  }
  return member < max.value;
}

// The ascending ranks [first, last] that Redis's index rules give, false when empty.
bool AscendingRanks(const ZRangeSpec& spec, uint64_t size, uint64_t* first, uint64_t* last) {
  int64_t length = static_cast<int64_t>(size);
  int64_t start = spec.start < 0 ? spec.start + length : spec.start;
  int64_t stop = spec.stop < 0 ? spec.stop + length : spec.stop;
  if (start < 0) start = 0;
  if (start > stop || start >= length) return false;
  if (stop >= length) stop = length - 1;
  *first = static_cast<uint64_t>(spec.reverse ? length - 1 - stop : start);
  *last = static_cast<uint64_t>(spec.reverse ? length - 1 - start : stop);
  return true;
}

// Walks ranks [first, last] from the nearer end. With `ordered`, visits in the spec's
// order (collecting first when the walk runs the other way); otherwise in walk order.
// *from_lowest tells which end the walk started from.
Status VisitRanks(ZSetKey& zset, const ZRangeSpec& spec, bool ordered, const Visitor& visit,
                  bool* from_lowest) {
  uint64_t first = 0;
  uint64_t last = 0;
  *from_lowest = true;
  if (!AscendingRanks(spec, zset.size(), &first, &last)) return Status::OK();
  const uint64_t above = zset.size() - 1 - last;
  const bool up = first <= above;
  *from_lowest = up;
  std::unique_ptr<MemberIterator> it = zset.NewOrderIterator();
  if (up) {
    zset.SeekToLowest(*it);
  } else {
    zset.SeekToHighest(*it);
  }
  auto step = [&] { up ? it->Next() : it->Prev(); };
  for (uint64_t skip = up ? first : above; skip > 0 && it->Valid(); --skip) step();
  const bool direct = !ordered || up != spec.reverse;
  std::vector<ScoredMember> collected;
  for (uint64_t left = last - first + 1; left > 0 && it->Valid(); --left, step()) {
    double score = 0;
    std::string_view member;
    if (!DecodeOrderEntry(*it, &score, &member)) return Status::Corruption("bad order entry");
    if (direct) {
      visit(score, member);
    } else {
      collected.push_back({std::string(member), score});
    }
  }
  Status s = it->status();
  for (auto entry = collected.rbegin(); s.ok() && entry != collected.rend(); ++entry) {
    visit(entry->score, entry->member);
  }
  return s;
}

// Positions `it` where a score walk starts: at the first member >= min going up, the last
// member <= max going down (entries outside the range there are skipped by the caller).
void SeekScoreStart(ZSetKey& zset, const ZRangeSpec& spec, MemberIterator& it) {
  const ScoreRange& range = spec.score;
  if (!spec.reverse) {
    if (range.min.value < zset.low() || (range.min.value == zset.low() && !range.min.exclusive)) {
      zset.SeekToLowest(it);
    } else {
      it.Seek(range.min.exclusive ? ScoreOrderSuccessor(range.min.value)
                                  : ScoreOrderPrefix(range.min.value));
    }
  } else if (range.max.value > zset.high() ||
             (range.max.value == zset.high() && !range.max.exclusive)) {
    zset.SeekToHighest(it);
  } else {
    it.SeekForPrev(range.max.exclusive ? ScoreOrderPrefix(range.max.value)
                                       : ScoreOrderSuccessor(range.max.value));
  }
}

// When every member shares one score (the case lex ranges are meant for), the start
// member can be sought directly; otherwise the walk starts at the end and skips.
Status SeekLexStart(ZSetKey& zset, const ZRangeSpec& spec, MemberIterator& it) {
  double lowest = 0;
  double highest = 0;
  std::string_view member;
  zset.SeekToHighest(it);
  bool valid = it.Valid() && DecodeOrderEntry(it, &highest, &member);
  zset.SeekToLowest(it);
  valid = valid && it.Valid() && DecodeOrderEntry(it, &lowest, &member);
  const LexBound& bound = spec.reverse ? spec.lex.max : spec.lex.min;
  bool finite =
      bound.kind == LexBound::Kind::kInclusive || bound.kind == LexBound::Kind::kExclusive;
  if (valid && lowest == highest && finite) {
    std::string target = EncodeScoreMemberPart(lowest, bound.value);
    if (spec.reverse) {
      it.SeekForPrev(target);
    } else {
      it.Seek(target);
    }
  } else if (spec.reverse) {
    zset.SeekToHighest(it);
  }
  return it.status();
}

// Score and lex ranges: skip what lies before the start bound, then visit (after LIMIT)
// while the end bound holds.
Status VisitBounded(ZSetKey& zset, const ZRangeSpec& spec, const Visitor& visit) {
  if (spec.offset < 0) return Status::OK();
  if (spec.by == ZRangeSpec::By::kLex && (spec.lex.min.kind == LexBound::Kind::kPlusInfinity ||
                                          spec.lex.max.kind == LexBound::Kind::kMinusInfinity)) {
    return Status::OK();
  }
  std::unique_ptr<MemberIterator> it = zset.NewOrderIterator();
  const bool by_score = spec.by == ZRangeSpec::By::kScore;
  if (by_score) {
    SeekScoreStart(zset, spec, *it);
  } else {
    Status s = SeekLexStart(zset, spec, *it);
    if (!s.ok()) return s;
  }
  auto before_start = [&](double score, std::string_view member) {
    if (by_score)
      return spec.reverse ? !BelowMax(score, spec.score.max) : !AboveMin(score, spec.score.min);
    return spec.reverse ? !LexBelowMax(member, spec.lex.max) : !LexAboveMin(member, spec.lex.min);
  };
  auto within_end = [&](double score, std::string_view member) {
    if (by_score)
      return spec.reverse ? AboveMin(score, spec.score.min) : BelowMax(score, spec.score.max);
    return spec.reverse ? LexAboveMin(member, spec.lex.min) : LexBelowMax(member, spec.lex.max);
  };
  bool started = false;
  uint64_t skip = static_cast<uint64_t>(spec.offset);
  uint64_t left = spec.limit < 0 ? UINT64_MAX : static_cast<uint64_t>(spec.limit);
  for (; it->Valid() && left > 0; spec.reverse ? it->Prev() : it->Next()) {
    double score = 0;
    std::string_view member;
    if (!DecodeOrderEntry(*it, &score, &member)) return Status::Corruption("bad order entry");
    if (!started && before_start(score, member)) continue;
    started = true;
    if (!within_end(score, member)) break;
    if (skip > 0) {
      --skip;
      continue;
    }
    visit(score, member);
    --left;
  }
  return it->status();
}

Status VisitRange(ZSetKey& zset, const ZRangeSpec& spec, bool ordered, const Visitor& visit) {
  if (!zset.exists()) return Status::OK();
  if (spec.by == ZRangeSpec::By::kRank) {
    bool from_lowest = true;
    return VisitRanks(zset, spec, ordered, visit, &from_lowest);
  }
  return VisitBounded(zset, spec, visit);
}

Status CollectRange(ZSetKey& zset, const ZRangeSpec& spec, std::vector<ScoredMember>* members) {
  return VisitRange(zset, spec, /*ordered=*/true, [&](double score, std::string_view member) {
    members->push_back({std::string(member), score});
  });
}

// Counts a score or lex range of `key`.
Status CountRange(Storage& storage, int db, std::string_view key, const ZRangeSpec& spec,
                  uint64_t* count) {
  *count = 0;
  ZSetKey zset(storage);
  Status s = zset.Load(db, key, MemberReads::kCached);
  if (!s.ok()) return s;
  return VisitRange(zset, spec, /*ordered=*/false, [&](double, std::string_view) { ++*count; });
}

}  // namespace

Status ZSets::Range(int db, std::string_view key, const ZRangeSpec& spec,
                    std::vector<ScoredMember>* members) {
  members->clear();
  ZSetKey zset(*storage_);
  Status s = zset.Load(db, key, MemberReads::kCached);
  if (!s.ok()) return s;
  return CollectRange(zset, spec, members);
}

Status ZSets::Count(int db, std::string_view key, const ScoreRange& range, uint64_t* count) {
  ZRangeSpec spec;
  spec.by = ZRangeSpec::By::kScore;
  spec.score = range;
  return CountRange(*storage_, db, key, spec, count);
}

Status ZSets::LexCount(int db, std::string_view key, const LexRange& range, uint64_t* count) {
  ZRangeSpec spec;
  spec.by = ZRangeSpec::By::kLex;
  spec.lex = range;
  return CountRange(*storage_, db, key, spec, count);
}

Status ZSets::RemoveRange(int db, std::string_view key, const ZRangeSpec& range_spec,
                          uint64_t* removed) {
  *removed = 0;
  ZSetKey zset(*storage_);
  Status s = zset.Load(db, key);
  if (!s.ok() || !zset.exists()) return s;
  ZRangeSpec spec = range_spec;
  spec.reverse = false;
  spec.offset = 0;
  spec.limit = -1;
  std::vector<ScoredMember> doomed;
  auto erase = [&](double score, std::string_view member) {
    doomed.push_back({std::string(member), score});
  };
  bool from_lowest = true;
  if (spec.by == ZRangeSpec::By::kRank) {
    s = VisitRanks(zset, spec, /*ordered=*/false, erase, &from_lowest);
  } else {
    s = VisitBounded(zset, spec, erase);
  }
  if (!s.ok()) return s;
  for (const ScoredMember& entry : doomed) zset.Erase(entry.member, entry.score);
  *removed = doomed.size();
  // What went from an end leaves the bounds tighter: later walks from that end Seek past
  // the tombstones it left (the trimmed-leaderboard and queue patterns).
  if (!doomed.empty() && spec.by == ZRangeSpec::By::kRank) {
    uint64_t first = 0;
    uint64_t last = 0;
    AscendingRanks(spec, zset.size() + doomed.size(), &first, &last);
    if (first == 0) zset.TightenLow(from_lowest ? doomed.back().score : doomed.front().score);
    if (last == zset.size() + doomed.size() - 1) {
      zset.TightenHigh(from_lowest ? doomed.front().score : doomed.back().score);
    }
  } else if (!doomed.empty() && spec.by == ZRangeSpec::By::kScore) {
    // Every member was above min, so what remains lies above max (and symmetrically).
    if (AboveMin(zset.low(), spec.score.min)) zset.TightenLow(spec.score.max.value);
    if (BelowMax(zset.high(), spec.score.max)) zset.TightenHigh(spec.score.min.value);
  }
  return zset.Commit();
}

Status ZSets::RangeStore(int db, std::string_view destination, std::string_view source,
                         const ZRangeSpec& spec, uint64_t* stored) {
  *stored = 0;
  std::vector<ScoredMember> members;
  {
    ZSetKey zset(*storage_);
    Status s = zset.Load(db, source, MemberReads::kCached);
    if (!s.ok()) return s;
    s = VisitRange(zset, spec, /*ordered=*/false, [&](double score, std::string_view member) {
      members.push_back({std::string(member), score});
    });
    if (!s.ok()) return s;
  }
  return Store(db, destination, members, stored);
}

}  // namespace cairn
