// The packed blobs Redis embeds in RDB values as single strings: listpack (Redis 7.0's compact
// lists, hashes and sorted sets), ziplist (the same before 7.0), intset (small integer sets)
// and zipmap (hashes before 2.6). Parsers check every length against the blob, so a corrupt
// payload is refused, never read past; builders write what Redis 7.0 writes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

// Appends every entry of the blob to *entries (integers as their decimal text). False when
// the blob is malformed.
bool ParseListpack(std::string_view blob, std::vector<std::string>* entries);
bool ParseZiplist(std::string_view blob, std::vector<std::string>* entries);
bool ParseIntset(std::string_view blob, std::vector<std::string>* entries);
// Field, value, field, value, ...
bool ParseZipmap(std::string_view blob, std::vector<std::string>* entries);

// Builds a listpack of `entries`, integer-encoding the canonical integer texts as Redis's
// lpAppend does.
class ListpackBuilder {
 public:
  ListpackBuilder();
  void Append(std::string_view entry);
  size_t count() const { return count_; }
  size_t bytes() const { return body_.size() + 7; }
  // The finished blob; the builder is empty again afterwards.
  std::string Finish();

 private:
  std::string body_;  // entries after the 6-byte header
  size_t count_ = 0;
};

// Builds an intset of the numbers, sorted, in the narrowest width that holds them all.
std::string BuildIntset(std::vector<int64_t> numbers);

}  // namespace cairn
