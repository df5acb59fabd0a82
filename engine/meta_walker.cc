// Prefix-and-slot-aware iteration over the meta column family.
#include "engine/meta_walker.h"

#include "encoding/coding.h"
#include "encoding/key_slot.h"
#include "encoding/meta_key.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {

MetaWalker::MetaWalker(Storage* storage, uint8_t physical_db, std::string prefix,
                       std::optional<uint16_t> only_slot)
    : db_(physical_db), prefix_(std::move(prefix)), only_slot_(only_slot) {
  upper_bound_ = only_slot_ ? PrefixSuccessor(MetaSlotPrefix(db_, *only_slot_))
                            : PrefixSuccessor(MetaDbPrefix(db_));
  upper_slice_ = rocksdb::Slice(upper_bound_);
  rocksdb::ReadOptions read = storage->read_options();
  read.iterate_upper_bound = &upper_slice_;
  // Whole-db walks (KEYS, SCAN) should not push the hot blocks out of the block cache.
  read.fill_cache = false;
  it_.reset(storage->NewIterator(
      read, storage->meta_cf(), only_slot_ ? MetaSlotPrefix(db_, *only_slot_) : MetaDbPrefix(db_)));
}

void MetaWalker::SeekRaw(uint16_t slot, std::string_view key) {
  work_++;
  it_->Seek(EncodeMetaKey(db_, slot, key));
}

void MetaWalker::Seek(uint16_t slot, std::string_view after_key) {
  if (only_slot_) {
    if (slot > *only_slot_) {
      valid_ = false;
      paused_ = false;
      return;
    }
    if (slot < *only_slot_) {
      slot = *only_slot_;
      after_key = {};
    }
  }
  if (!after_key.empty() && after_key >= std::string_view(prefix_)) {
    // The smallest key greater than after_key is after_key followed by a zero byte.
    std::string target(after_key);
    target.push_back('\0');
    SeekRaw(slot, target);
  } else {
    SeekRaw(slot, prefix_);
  }
  Settle();
}

void MetaWalker::Next() {
  work_++;
  it_->Next();
  Settle();
}

void MetaWalker::SetPause(uint64_t work_limit, uint16_t after_slot) {
  pause_work_ = work_limit;
  pause_after_slot_ = after_slot;
}

void MetaWalker::Settle() {
  valid_ = false;
  paused_ = false;
  while (it_->Valid()) {
    MetaKeyParts parts;
    rocksdb::Slice raw = it_->key();
    if (!DecodeMetaKey(std::string_view(raw.data(), raw.size()), &parts) || parts.db != db_) {
      return;
    }
    if (parts.user_key.starts_with(prefix_)) {
      valid_ = true;
      slot_ = parts.slot;
      user_key_ = parts.user_key;
      return;
    }
    uint16_t target = parts.slot;
    if (parts.user_key > std::string_view(prefix_)) {
      // Past this slot's candidates: on to the next slot.
      if (only_slot_ || parts.slot + 1 >= kNumSlots) return;
      target = static_cast<uint16_t>(parts.slot + 1);
    }
    if (work_ >= pause_work_ && target > pause_after_slot_) {
      paused_ = true;
      paused_slot_ = target;
      return;
    }
    SeekRaw(target, prefix_);
  }
}

std::string_view MetaWalker::value() const {
  rocksdb::Slice raw = it_->value();
  return std::string_view(raw.data(), raw.size());
}

Status MetaWalker::status() const { return FromRocks(it_->status()); }

}  // namespace cairn
