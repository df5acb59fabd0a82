// ScanCursorTable: the server-side memory behind SCAN cursors.
//
// A cursor is (slot << 40) | token. The token names an entry of a bounded ring that holds
// (db, slot, last key returned); token 0 means "from the start of the slot", and a cursor of
// 0 starts (and, returned, ends) a scan. An unknown, evicted or made-up token, or one
// recorded for another db or slot, resumes at the start of the cursor's slot: a key may then
// be returned twice, but none present for the whole scan is ever skipped, any number of scans
// can run at once, and a cursor whose slot is >= 16384 simply ends the scan.
//
// The ring itself only knows opaque scopes: HSCAN/SSCAN/ZSCAN (engine/member_scan.h) keep
// their positions in a table of their own under a scope naming one key incarnation.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace cairn {

class ScanCursorTable {
 public:
  static constexpr int kTokenBits = 40;
  static constexpr uint64_t kTokenMask = (uint64_t{1} << kTokenBits) - 1;
  static constexpr size_t kCapacity = size_t{1} << 16;

  ScanCursorTable();

  static uint64_t MakeCursor(uint64_t slot, uint64_t token) { return (slot << kTokenBits) | token; }
  static uint64_t SlotOf(uint64_t cursor) { return cursor >> kTokenBits; }
  static uint64_t TokenOf(uint64_t cursor) { return cursor & kTokenMask; }

  // Stores the position and returns its (non-zero) token, evicting the oldest entry.
  uint64_t Remember(int db, uint16_t slot, std::string_view last_key);
  // The last key for `token` if it is live and was stored for this db and slot.
  bool Recall(uint64_t token, int db, uint16_t slot, std::string* last_key) const;

  // The same for any scope: a token only resumes the scope it was remembered for.
  uint64_t Remember(std::string_view scope, std::string_view last_position);
  bool Recall(uint64_t token, std::string_view scope, std::string* last_position) const;

 private:
  struct Entry {
    uint64_t sequence = 0;  // 0: never used
    std::string scope;
    std::string last_position;
  };
  static uint64_t TokenFor(uint64_t sequence);
  static std::string SlotScope(int db, uint16_t slot);

  mutable std::mutex mutex_;
  uint64_t next_sequence_ = 1;
  std::unique_ptr<Entry[]> entries_;
};

}  // namespace cairn
