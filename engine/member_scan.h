// MemberScans: HSCAN, SSCAN and ZSCAN over the members of one hash, set or sorted set.
//
// A cursor is (hint << 40) | token. The token names an entry of a ScanCursorTable holding
// the last member-part returned, for one incarnation of one key (db, key, version), so a
// scan resumes with one Seek: O(log n), never a re-walk. The hint is the first three bytes of
// that member-part: when the token is unknown (made up, evicted from the bounded ring, or
// from before a restart) or belongs to another key or incarnation, the scan resumes at the
// hint with its trailing zero bytes dropped, which is never past an unreturned member. So
// every member present for the whole scan is returned at least once (some maybe twice), any
// number of scans can run at once, and following the returned cursors always ends at 0.
//
// As Redis does for its listpack and intset encodings, a collection still in its compact
// encoding (no kMetaFlagLargeEncoding) is returned whole in one call with cursor 0; past
// kOneShotLimit members (possible only with raised *-max-* limits) it is paged like any
// other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "encoding/metadata.h"
#include "engine/scan_cursors.h"
#include "engine/status.h"

namespace cairn {

class Storage;

struct ScannedMember {
  std::string member;  // hash field, set member or sorted-set member
  std::string value;   // hash: the field's value; set and sorted set: empty
  double score = 0;    // sorted set: the member's score
};

struct MemberScanResult {
  std::vector<ScannedMember> members;
  uint64_t next_cursor = 0;
  // The key is in its compact encoding (ZSCAN then prints scores as a listpack holds them).
  bool compact = false;
};

class MemberScans {
 public:
  static constexpr int kHintBits = 64 - ScanCursorTable::kTokenBits;
  static constexpr size_t kHintBytes = kHintBits / 8;
  static constexpr uint64_t kOneShotLimit = 4096;

  explicit MemberScans(Storage* storage) : storage_(storage) {}

  // One step of a scan of `key`, which must be of `type` (kHash, kSet or kZSet). NotFound
  // when the key does not exist, WrongType when it holds another type. `pattern`: the MATCH
  // glob, none (or "*") matching every member; it filters the `count` members examined.
  Status Scan(int db, std::string_view key, ValueType type, uint64_t cursor,
              std::optional<std::string_view> pattern, size_t count, MemberScanResult* result);

  static uint64_t HintOf(std::string_view member_part);
  // Where a scan resumes when its token is not known: never after an unreturned member.
  static std::string ResumePointOf(uint64_t cursor);

 private:
  Storage* storage_;
  ScanCursorTable cursors_;
};

}  // namespace cairn
