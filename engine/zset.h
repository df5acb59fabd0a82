// ZSets: the sorted-set commands over members in `sub` (member -> ordered score bits) and
// the `zscore` order index (score bits | member -> ""), see encoding/collection_layout.h and
// engine/collection.h. ZSCORE/ZMSCORE are point lookups; score and lex ranges Seek into
// `zscore`; rank ranges walk from the nearer end; ZCARD comes from metadata. Rank lookups
// (ZRANK) and counts (ZCOUNT, ZLEXCOUNT) walk the range they measure: O(rank) / O(count).
//
// The metadata payload of a sorted set holds two score bounds, low | high (ordered double
// bits, 16 bytes): no live member scores below low or above high. Scans from either end
// Seek to them instead of the first/last entry, so the tombstones that popped or trimmed
// members leave at an end (ZPOPMIN queues, leaderboards trimmed with ZREMRANGEBYRANK) are
// not walked again by every later command. A missing or malformed payload means no bounds.
//
// All dbs are logical indexes; every operation assumes the caller holds the locks of its
// keys and commits at most one WriteBatch. Errors: WrongType for keys of another type (sets
// are accepted as inputs of Combine/InterCard, every member scoring 1), InvalidArgument with
// Redis's text for a NaN result. A missing key is an empty sorted set; no operation leaves
// an empty one behind. Scores are stored with -0 turned into 0, as listpacks do.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace cairn {

class Storage;

struct ScoredMember {
  std::string member;
  double score;
};

struct ScoreBound {
  double value = 0;
  bool exclusive = false;
};

// Members whose score lies between min and max (min <= max for a non-empty range).
struct ScoreRange {
  ScoreBound min;
  ScoreBound max;
};

struct LexBound {
  enum class Kind : uint8_t { kMinusInfinity, kPlusInfinity, kInclusive, kExclusive };
  Kind kind = Kind::kMinusInfinity;
  std::string value;
};

// Members between min and max in byte order. As in Redis, meaningful when all members share
// one score; otherwise the range starts at the first member (in score order) that is >= min
// and runs while members are <= max (how Redis's listpack encoding answers).
struct LexRange {
  LexBound min;
  LexBound max;
};

// Which members a ZRANGE-like command names.
struct ZRangeSpec {
  enum class By : uint8_t { kRank, kScore, kLex };
  By by = By::kRank;
  // Highest score first; rank indexes then count from the highest score.
  bool reverse = false;
  int64_t start = 0;  // kRank: Redis's indexes (negative from the end)
  int64_t stop = -1;
  ScoreRange score;  // kScore (always min..max, also when reverse)
  LexRange lex;      // kLex
  // LIMIT (kScore, kLex): a negative offset gives nothing, a negative limit means no limit.
  int64_t offset = 0;
  int64_t limit = -1;
};

struct ZAddOptions {
  enum class Condition : uint8_t { kAlways, kIfAbsent /* NX */, kIfPresent /* XX */ };
  enum class Compare : uint8_t { kAny, kGreater /* GT */, kLess /* LT */ };
  Condition condition = Condition::kAlways;
  Compare compare = Compare::kAny;
  bool increment = false;  // INCR / ZINCRBY: the score is added to the current one
};

struct ZAddResult {
  uint64_t added = 0;      // new members
  uint64_t updated = 0;    // existing members whose score changed
  uint64_t processed = 0;  // members not skipped by NX/XX/GT/LT
  double score = 0;        // with increment: the member's new score, when processed
};

enum class ZSetOp : uint8_t { kUnion, kInter, kDiff };
enum class ZAggregate : uint8_t { kSum, kMin, kMax };

// ZUNION/ZINTER/ZDIFF inputs: sorted sets or sets (score 1), missing keys are empty.
struct ZCombineSpec {
  ZSetOp op = ZSetOp::kUnion;
  std::span<const std::string> keys;
  std::vector<double> weights;  // empty: every weight is 1
  ZAggregate aggregate = ZAggregate::kSum;
};

class ZSets {
 public:
  explicit ZSets(Storage* storage) : storage_(storage) {}

  // ZADD / ZINCRBY. Members are applied in order (a repeated member sees its earlier
  // update). With increment, a NaN sum is "ERR resulting score is not a number (NaN)" and
  // nothing is written.
  Status Add(int db, std::string_view key, const ZAddOptions& options,
             std::span<const ScoredMember> members, ZAddResult* result);
  // ZREM: *removed counts the distinct members that were there.
  Status Remove(int db, std::string_view key, std::span<const std::string> members,
                uint64_t* removed);

  // Reads. A missing key answers like an empty sorted set.
  Status Card(int db, std::string_view key, uint64_t* size);
  Status Score(int db, std::string_view key, std::string_view member, std::optional<double>* score);
  Status Scores(int db, std::string_view key, std::span<const std::string> members,
                std::vector<std::optional<double>>* scores);
  // ZRANK / ZREVRANK (reverse): nullopt when the member is not there.
  Status Rank(int db, std::string_view key, std::string_view member, bool reverse,
              std::optional<uint64_t>* rank);
  // ZRANGE and its variants, in the order the spec asks for.
  Status Range(int db, std::string_view key, const ZRangeSpec& spec,
               std::vector<ScoredMember>* members);
  Status Count(int db, std::string_view key, const ScoreRange& range, uint64_t* count);
  Status LexCount(int db, std::string_view key, const LexRange& range, uint64_t* count);

  // ZREMRANGEBYRANK / BYSCORE / BYLEX (spec.reverse and LIMIT are ignored).
  Status RemoveRange(int db, std::string_view key, const ZRangeSpec& spec, uint64_t* removed);
  // ZRANGESTORE: replaces destination (any type) with the range of source, or deletes it
  // when the range is empty. WrongType only for a source of another type.
  Status RangeStore(int db, std::string_view destination, std::string_view source,
                    const ZRangeSpec& spec, uint64_t* stored);

  // Pops up to `count` members with the lowest (max=false) or highest scores, in pop order;
  // `popped` empty when the key is missing. Deletes the key when emptied. WrongType for
  // non-zsets.
  Status Pop(int db, std::string_view key, bool max, uint64_t count,
             std::vector<ScoredMember>* popped);
  // ZRANDMEMBER: count >= 0 picks min(count, ZCARD) distinct members, count < 0 picks -count
  // members independently (repeats possible), each uniformly; never loads the whole set.
  Status RandomMembers(int db, std::string_view key, int64_t count,
                       std::vector<ScoredMember>* members);

  // WrongType if any key is live and neither a sorted set nor a set: Redis checks the
  // inputs of ZUNION & co before it parses their options.
  // *found (if given) tells, per key checked, whether it exists (with any type).
  Status CheckCombineSources(int db, std::span<const std::string> keys,
                             std::vector<bool>* found = nullptr);
  // ZUNION / ZINTER / ZDIFF: the result ordered by score, then member.
  Status Combine(int db, const ZCombineSpec& spec, std::vector<ScoredMember>* result);
  // ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE: replaces destination (any type) with the result,
  // or deletes it when the result is empty.
  Status CombineStore(int db, std::string_view destination, const ZCombineSpec& spec,
                      uint64_t* stored);
  // ZINTERCARD: limit 0 means no limit.
  Status InterCard(int db, std::span<const std::string> keys, uint64_t limit,
                   uint64_t* cardinality);

 private:
  // Writes `members` (distinct, any order) as the new content of destination.
  Status Store(int db, std::string_view destination, const std::vector<ScoredMember>& members,
               uint64_t* stored);

  Storage* storage_;
};

}  // namespace cairn
