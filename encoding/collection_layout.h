// How the members of each collection type sit in the `sub` and `zscore` column families,
// after the common sub-key prefix (db | slot | len | user_key | version, see sub_key.h):
//   hash:  sub    member-part = field             value = the field's value
//   set:   sub    member-part = member            value = empty
//   list:  sub    member-part = fixed64 index     value = the element
//          meta payload = fixed64 head | fixed64 tail (elements live at [head, tail))
//   zset:  sub    member-part = member            value = fixed64 ordered score bits
//          zscore member-part = fixed64 ordered score bits | member   value = empty
// List indexes start in the middle of the uint64 range so both ends can grow by 2^63.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

// Metadata flag: the collection has outgrown its compact encoding (listpack / intset), so
// OBJECT ENCODING reports the large one. Never cleared, as Redis never converts back.
inline constexpr uint8_t kMetaFlagLargeEncoding = 0x01;

inline constexpr uint64_t kListInitialIndex = uint64_t{1} << 63;

struct ListBounds {
  uint64_t head = kListInitialIndex;  // index of the first element
  uint64_t tail = kListInitialIndex;  // one past the last element
  uint64_t size() const { return tail - head; }
};

std::string EncodeListPayload(const ListBounds& bounds);
// False when the payload is not 16 bytes or head > tail.
bool DecodeListPayload(std::string_view payload, ListBounds* bounds);
std::string EncodeListIndex(uint64_t index);
// False unless member_part is exactly 8 bytes.
bool DecodeListIndex(std::string_view member_part, uint64_t* index);

// A sorted-set member's entry in `sub` holds its score.
std::string EncodeScoreValue(double score);
bool DecodeScoreValue(std::string_view value, double* score);
// A sorted-set member's entry in `zscore`: score order first, member order among ties (as
// Redis orders equal scores).
std::string EncodeScoreMemberPart(double score, std::string_view member);
bool DecodeScoreMemberPart(std::string_view member_part, double* score, std::string_view* member);

}  // namespace cairn
