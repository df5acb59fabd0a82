// MemberScans (see member_scan.h).
#include "engine/member_scan.h"

#include <algorithm>
#include <limits>

#include "encoding/collection_layout.h"
#include "encoding/glob.h"
#include "engine/collection.h"
#include "engine/storage.h"

namespace cairn {

namespace {

// The member at the iterator, in the shape its type replies with.
ScannedMember MemberAt(ValueType type, const MemberIterator& iterator) {
  ScannedMember member;
  member.member.assign(iterator.member_part());
  if (type == ValueType::kHash) {
    member.value.assign(iterator.value());
  } else if (type == ValueType::kZSet) {
    DecodeScoreValue(iterator.value(), &member.score);
  }
  return member;
}

}  // namespace

uint64_t MemberScans::HintOf(std::string_view member_part) {
  uint64_t hint = 0;
  for (size_t i = 0; i < kHintBytes; i++) {
    uint8_t byte = i < member_part.size() ? static_cast<uint8_t>(member_part[i]) : 0;
    hint = (hint << 8) | byte;
  }
  return hint;
}

std::string MemberScans::ResumePointOf(uint64_t cursor) {
  uint64_t hint = cursor >> ScanCursorTable::kTokenBits;
  std::string point;
  for (size_t i = 0; i < kHintBytes; i++) {
    point.push_back(static_cast<char>((hint >> (8 * (kHintBytes - 1 - i))) & 0xff));
  }
  // The hint pads short member-parts with zero bytes: a member-part that is a prefix of the
  // padded hint would sort before it, so seek to the hint without them.
  while (!point.empty() && point.back() == '\0') point.pop_back();
  return point;
}

Status MemberScans::Scan(int db, std::string_view key, ValueType type, uint64_t cursor,
                         std::optional<std::string_view> pattern, size_t count,
                         MemberScanResult* result) {
  *result = MemberScanResult();
  CollectionKey collection;
  Status s = collection.Load(*storage_, db, key, type);
  if (!s.ok()) return s;
  if (!collection.exists()) return Status::NotFound();
  result->compact = !collection.large_encoding();
  bool one_shot = result->compact && collection.size() <= kOneShotLimit;
  const std::string& scope = collection.member_prefix();
  MemberIterator iterator(*storage_, storage_->sub_cf(), scope);
  std::string last;
  if (one_shot || cursor == 0) {
    iterator.SeekToFirst();
  } else if (cursors_.Recall(ScanCursorTable::TokenOf(cursor), scope, &last)) {
    iterator.Seek(last);
    if (iterator.Valid() && iterator.member_part() == last) iterator.Next();
  } else {
    iterator.Seek(ResumePointOf(cursor));
  }
  size_t budget = one_shot ? std::numeric_limits<size_t>::max() : std::max<size_t>(count, 1);
  bool match_all = !pattern || *pattern == "*";
  for (size_t examined = 0; examined < budget && iterator.Valid(); examined++) {
    std::string_view member_part = iterator.member_part();
    last.assign(member_part);
    if (match_all || GlobMatch(*pattern, member_part)) {
      result->members.push_back(MemberAt(type, iterator));
    }
    iterator.Next();
  }
  s = iterator.status();
  if (!s.ok()) return s;
  if (iterator.Valid()) {
    uint64_t token = cursors_.Remember(scope, last);
    result->next_cursor = (HintOf(last) << ScanCursorTable::kTokenBits) | token;
  }
  return Status::OK();
}

}  // namespace cairn
