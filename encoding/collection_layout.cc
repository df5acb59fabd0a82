// Member layouts of lists and sorted sets (see collection_layout.h).
#include "encoding/collection_layout.h"

#include "encoding/coding.h"

namespace cairn {

std::string EncodeListPayload(const ListBounds& bounds) {
  std::string out;
  PutFixed64(&out, bounds.head);
  PutFixed64(&out, bounds.tail);
  return out;
}

bool DecodeListPayload(std::string_view payload, ListBounds* bounds) {
  if (payload.size() != 16) return false;
  bounds->head = DecodeFixed64(payload.data());
  bounds->tail = DecodeFixed64(payload.data() + 8);
  return bounds->head <= bounds->tail;
}

std::string EncodeListIndex(uint64_t index) {
  std::string out;
  PutFixed64(&out, index);
  return out;
}

bool DecodeListIndex(std::string_view member_part, uint64_t* index) {
  if (member_part.size() != 8) return false;
  *index = DecodeFixed64(member_part.data());
  return true;
}

std::string EncodeScoreValue(double score) {
  std::string out;
  PutOrderedDouble(&out, score);
  return out;
}

bool DecodeScoreValue(std::string_view value, double* score) {
  return value.size() == 8 && GetOrderedDouble(&value, score);
}

std::string EncodeScoreMemberPart(double score, std::string_view member) {
  std::string out;
  out.reserve(8 + member.size());
  PutOrderedDouble(&out, score);
  out.append(member);
  return out;
}

bool DecodeScoreMemberPart(std::string_view member_part, double* score, std::string_view* member) {
  if (!GetOrderedDouble(&member_part, score)) return false;
  *member = member_part;
  return true;
}

}  // namespace cairn
