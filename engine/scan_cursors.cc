// The bounded ring of SCAN positions.
#include "engine/scan_cursors.h"

namespace cairn {

ScanCursorTable::ScanCursorTable() : entries_(std::make_unique<Entry[]>(kCapacity)) {}

uint64_t ScanCursorTable::TokenFor(uint64_t sequence) {
  // Low bits pick the ring slot; the high bits tell apart the laps around the ring.
  return sequence & kTokenMask;
}

std::string ScanCursorTable::SlotScope(int db, uint16_t slot) {
  std::string scope;
  scope.append(reinterpret_cast<const char*>(&db), sizeof(db));
  scope.append(reinterpret_cast<const char*>(&slot), sizeof(slot));
  return scope;
}

uint64_t ScanCursorTable::Remember(int db, uint16_t slot, std::string_view last_key) {
  return Remember(SlotScope(db, slot), last_key);
}

bool ScanCursorTable::Recall(uint64_t token, int db, uint16_t slot, std::string* last_key) const {
  return Recall(token, SlotScope(db, slot), last_key);
}

uint64_t ScanCursorTable::Remember(std::string_view scope, std::string_view last_position) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t sequence = next_sequence_++;
  if (TokenFor(next_sequence_) == 0) next_sequence_++;  // token 0 is reserved
  Entry& entry = entries_[sequence & (kCapacity - 1)];
  entry.sequence = sequence;
  entry.scope.assign(scope);
  entry.last_position.assign(last_position);
  return TokenFor(sequence);
}

bool ScanCursorTable::Recall(uint64_t token, std::string_view scope,
                             std::string* last_position) const {
  if (token == 0) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  const Entry& entry = entries_[token & (kCapacity - 1)];
  if (entry.sequence == 0 || TokenFor(entry.sequence) != token || entry.scope != scope) {
    return false;
  }
  last_position->assign(entry.last_position);
  return true;
}

}  // namespace cairn
