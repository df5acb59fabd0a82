// The bounded ring of SCAN positions.
#include "engine/scan_cursors.h"

namespace cairn {

ScanCursorTable::ScanCursorTable() : entries_(std::make_unique<Entry[]>(kCapacity)) {}

uint64_t ScanCursorTable::TokenFor(uint64_t sequence) {
  // Low bits pick the ring slot; the high bits tell apart the laps around the ring.
  return sequence & kTokenMask;
}

uint64_t ScanCursorTable::Remember(int db, uint16_t slot, std::string_view last_key) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t sequence = next_sequence_++;
  if (TokenFor(next_sequence_) == 0) next_sequence_++;  // token 0 is reserved
  Entry& entry = entries_[sequence & (kCapacity - 1)];
  entry.sequence = sequence;
  entry.db = db;
  entry.slot = slot;
  entry.last_key.assign(last_key);
  return TokenFor(sequence);
}

bool ScanCursorTable::Recall(uint64_t token, int db, uint16_t slot, std::string* last_key) const {
  if (token == 0) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  const Entry& entry = entries_[token & (kCapacity - 1)];
  if (entry.sequence == 0 || TokenFor(entry.sequence) != token || entry.db != db ||
      entry.slot != slot) {
    return false;
  }
  last_key->assign(entry.last_key);
  return true;
}

}  // namespace cairn
