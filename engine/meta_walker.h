// MetaWalker: walks the meta entries of one physical db whose user key starts with a given
// prefix, in (slot, key) order. Within a slot it seeks straight to the prefix; a slot with no
// candidates costs one seek, which lands on the next slot that has any entry at all, so a
// sparse db never pays 16384 blind seeks. KEYS, SCAN and RANDOMKEY are built on it.
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace cairn {

class Storage;

class MetaWalker {
 public:
  // `only_slot`: every candidate is known to live in this slot (a hashtag in the prefix).
  MetaWalker(Storage* storage, uint8_t physical_db, std::string prefix,
             std::optional<uint16_t> only_slot);

  // Lets Settle stop before a seek once `work_limit` is reached, but only at a boundary into
  // a slot after `after_slot`; Valid() is then false and paused() true. SCAN uses it to bound
  // the work of one call while always making progress.
  void SetPause(uint64_t work_limit, uint16_t after_slot);
  bool paused() const { return paused_; }
  // Where a paused walk goes on: the start of this slot.
  uint16_t paused_slot() const { return paused_slot_; }

  // Positions at the first candidate in `slot` or later whose key is greater than
  // `after_key` when that is non-empty (a candidate equal to it is skipped).
  void Seek(uint16_t slot, std::string_view after_key = {});
  bool Valid() const { return valid_; }
  void Next();

  uint16_t slot() const { return slot_; }
  std::string_view user_key() const { return user_key_; }
  std::string_view value() const;
  // Iterator steps and seeks done so far: the unit of work SCAN's COUNT bounds.
  uint64_t work() const { return work_; }
  Status status() const;

 private:
  void SeekRaw(uint16_t slot, std::string_view key);
  // Moves forward from the iterator's position to the next candidate, seeking over gaps.
  void Settle();

  uint8_t db_;
  std::string prefix_;
  std::optional<uint16_t> only_slot_;
  std::string upper_bound_;
  rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
  bool valid_ = false;
  bool paused_ = false;
  uint16_t paused_slot_ = 0;
  uint64_t pause_work_ = UINT64_MAX;
  uint16_t pause_after_slot_ = 0;
  uint16_t slot_ = 0;
  std::string_view user_key_;
  uint64_t work_ = 0;
};

}  // namespace cairn
