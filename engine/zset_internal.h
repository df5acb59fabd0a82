// Engine-internal building blocks of the sorted-set operations (engine/zset*.cc): ZSetKey,
// one command's handle on one sorted set (lookup, member reads that see the command's own
// earlier changes, member writes into one KeyBatch with the count, score bounds and encoding
// flag kept), and the helpers that position `zscore` iterators.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/collection.h"
#include "engine/key_batch.h"
#include "engine/status.h"

namespace cairn {

class Storage;

// Redis's listpack keeps -0 as 0; so do we, which also keeps the order index exact.
inline double NormalizeScore(double score) { return score == 0 ? 0.0 : score; }

// The `zscore` member-part prefix of every member with this score.
std::string ScoreOrderPrefix(double score);
// The smallest `zscore` member-part above every member with this score.
std::string ScoreOrderSuccessor(double score);

// Score bounds kept in the metadata payload (see zset.h): low | high, ordered double bits.
std::string EncodeScoreBounds(double low, double high);
// (-inf, +inf) when the payload is not 16 bytes: bounds that exclude nothing.
void DecodeScoreBounds(std::string_view payload, double* low, double* high);

class ZSetKey {
 public:
  explicit ZSetKey(Storage& storage) : storage_(storage), batch_(&storage) {}
  ZSetKey(const ZSetKey&) = delete;
  ZSetKey& operator=(const ZSetKey&) = delete;

  // WrongType for a live key of another type. `key` must outlive this object. Read
  // commands pass kCached (see MemberReads).
  Status Load(int db, std::string_view key, MemberReads reads = MemberReads::kDirect);

  bool exists() const { return key_.exists(); }
  // The size including this command's pending changes.
  uint64_t size() const { return size_; }
  double low() const { return low_; }
  double high() const { return high_; }
  CollectionKey& collection() { return key_; }

  // The member's score as this command sees it (pending changes first).
  Status LookupScore(std::string_view member, std::optional<double>* score);

  // Member changes; `score` values must be normalized and not NaN.
  void Insert(std::string_view member, double score);
  void ChangeScore(std::string_view member, double old_score, double new_score);
  void Erase(std::string_view member, double score);
  // After a walk from one end saw that no live member lies beyond `score`.
  void TightenLow(double score);
  void TightenHigh(double score);
  bool changed() const { return changed_; }

  // An iterator over the order index, and positioning at the ends through the bounds.
  std::unique_ptr<MemberIterator> NewOrderIterator();
  void SeekToLowest(MemberIterator& it) const;
  void SeekToHighest(MemberIterator& it) const;

  // Writes the metadata (or deletes the key when it became empty) and commits. Does
  // nothing when no member changed.
  Status Commit();

 private:
  void PutMember(std::string_view member, double score);
  void DeleteOrderEntry(std::string_view member, double score);

  Storage& storage_;
  KeyBatch batch_;
  CollectionKey key_;
  int db_ = 0;
  std::string_view name_;
  uint64_t size_ = 0;
  double low_ = 0;
  double high_ = 0;
  bool changed_ = false;
  // Members this command changed: their new score, or nullopt once removed.
  std::unordered_map<std::string, std::optional<double>> pending_;
};

// Decodes the current entry of an order iterator.
bool DecodeOrderEntry(const MemberIterator& it, double* score, std::string_view* member);

}  // namespace cairn
