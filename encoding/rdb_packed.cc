// Listpack, ziplist, intset and zipmap, as Redis lays them out (listpack.c, ziplist.c,
// intset.c, zipmap.c): little-endian headers, self-describing entries, an 0xFF terminator.
#include "encoding/rdb_packed.h"

#include <algorithm>
#include <limits>

#include "encoding/number_text.h"

namespace cairn {
namespace {

constexpr uint8_t kEnd = 0xFF;

uint64_t LittleEndian(std::string_view bytes, size_t pos, size_t width) {
  uint64_t value = 0;
  for (size_t i = width; i > 0; --i)
    value = (value << 8) | static_cast<uint8_t>(bytes[pos + i - 1]);
  return value;
}

// Sign-extends the low `bits` bits of `raw`.
int64_t SignExtend(uint64_t raw, int bits) {
  if (bits == 64) return static_cast<int64_t>(raw);
  uint64_t sign = uint64_t{1} << (bits - 1);
  raw &= (sign << 1) - 1;
  return static_cast<int64_t>(raw ^ sign) - static_cast<int64_t>(sign);
}

void PutLittleEndian(std::string* out, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) out->push_back(static_cast<char>(value >> (8 * i)));
}

// Bytes of a listpack entry's back-length for an entry of `length` bytes (lpEncodeBacklen).
size_t BacklenSize(uint64_t length) {
  if (length <= 127) return 1;
  if (length < 16383) return 2;
  if (length < 2097151) return 3;
  if (length < 268435455) return 4;
  return 5;
}

void PutBacklen(std::string* out, uint64_t length) {
  size_t size = BacklenSize(length);
  for (size_t i = 0; i < size; ++i) {
    uint8_t byte = static_cast<uint8_t>((length >> (7 * (size - 1 - i))) & 127);
    if (i > 0) byte |= 128;
    out->push_back(static_cast<char>(byte));
  }
}

// One listpack entry at `pos`: its text goes to *entry, *size gets encoding + data bytes.
bool ListpackEntry(std::string_view blob, size_t pos, std::string* entry, size_t* size) {
  auto b = static_cast<uint8_t>(blob[pos]);
  size_t left = blob.size() - pos;
  uint64_t length = 0;
  size_t header = 0;
  if ((b & 0x80) == 0) {
    *entry = std::to_string(b);
    *size = 1;
    return true;
  }
  if ((b & 0xC0) == 0x80) {
    header = 1, length = b & 0x3f;
  } else if ((b & 0xE0) == 0xC0) {
    if (left < 2) return false;
    *entry =
        std::to_string(SignExtend((uint64_t{b} << 8) | static_cast<uint8_t>(blob[pos + 1]), 13));
    *size = 2;
    return true;
  } else if ((b & 0xF0) == 0xE0) {
    if (left < 2) return false;
    header = 2, length = ((uint64_t{b} & 0x0f) << 8) | static_cast<uint8_t>(blob[pos + 1]);
  } else if (b == 0xF0) {
    if (left < 5) return false;
    header = 5, length = LittleEndian(blob, pos + 1, 4);
  } else if (b >= 0xF1 && b <= 0xF4) {
    static constexpr size_t kWidths[] = {2, 3, 4, 8};
    size_t width = kWidths[b - 0xF1];
    if (left < 1 + width) return false;
    *entry = std::to_string(SignExtend(LittleEndian(blob, pos + 1, width), int(width * 8)));
    *size = 1 + width;
    return true;
  } else {
    return false;
  }
  if (length > left - header) return false;
  entry->assign(blob.substr(pos + header, length));
  *size = header + length;
  return true;
}

// One ziplist entry's encoding and data at `pos` (after the prevlen field).
bool ZiplistEntry(std::string_view blob, size_t pos, std::string* entry, size_t* size) {
  auto b = static_cast<uint8_t>(blob[pos]);
  size_t left = blob.size() - pos;
  uint64_t length = 0;
  size_t header = 0;
  switch (b >> 6) {
    case 0:
      header = 1, length = b & 0x3f;
      break;
    case 1:
      if (left < 2) return false;
      header = 2, length = ((uint64_t{b} & 0x3f) << 8) | static_cast<uint8_t>(blob[pos + 1]);
      break;
    case 2:
      if (b != 0x80 || left < 5) return false;
      header = 5;
      for (size_t i = 1; i <= 4; ++i) length = (length << 8) | static_cast<uint8_t>(blob[pos + i]);
      break;
    default: {
      size_t width = b == 0xC0   ? 2
                     : b == 0xD0 ? 4
                     : b == 0xE0 ? 8
                     : b == 0xF0 ? 3
                     : b == 0xFE ? 1
                                 : 0;
      if (width == 0) {
        if (b < 0xF1 || b > 0xFD) return false;
        *entry = std::to_string((b & 0x0f) - 1);  // immediate 0..12
        *size = 1;
        return true;
      }
      if (left < 1 + width) return false;
      *entry = std::to_string(SignExtend(LittleEndian(blob, pos + 1, width), int(width * 8)));
      *size = 1 + width;
      return true;
    }
  }
  if (length > left - header) return false;
  entry->assign(blob.substr(pos + header, length));
  *size = header + length;
  return true;
}

// A zipmap length at `pos`: one byte below 254, else 254 and four little-endian bytes.
bool ZipmapLength(std::string_view blob, size_t* pos, uint64_t* length) {
  if (*pos >= blob.size()) return false;
  auto b = static_cast<uint8_t>(blob[*pos]);
  if (b < 254) {
    *length = b;
    *pos += 1;
    return true;
  }
  if (b != 254 || blob.size() - *pos < 5) return false;
  *length = LittleEndian(blob, *pos + 1, 4);
  *pos += 5;
  return true;
}

}  // namespace

bool ParseListpack(std::string_view blob, std::vector<std::string>* entries) {
  if (blob.size() < 7 || LittleEndian(blob, 0, 4) != blob.size()) return false;
  if (static_cast<uint8_t>(blob.back()) != kEnd) return false;
  uint64_t declared = LittleEndian(blob, 4, 2);
  size_t pos = 6;
  size_t count = 0;
  std::string entry;
  while (pos < blob.size() - 1) {
    size_t size = 0;
    if (!ListpackEntry(blob, pos, &entry, &size)) return false;
    pos += size + BacklenSize(size);
    if (pos > blob.size() - 1) return false;
    entries->push_back(std::move(entry));
    count++;
  }
  return declared == 65535 || declared == count;
}

bool ParseZiplist(std::string_view blob, std::vector<std::string>* entries) {
  if (blob.size() < 11 || LittleEndian(blob, 0, 4) != blob.size()) return false;
  if (static_cast<uint8_t>(blob.back()) != kEnd) return false;
  uint64_t declared = LittleEndian(blob, 8, 2);
  size_t pos = 10;
  size_t count = 0;
  std::string entry;
  while (pos < blob.size() - 1) {
    auto prevlen = static_cast<uint8_t>(blob[pos]);
    pos += prevlen < 254 ? 1 : 5;
    if (prevlen == kEnd || pos >= blob.size() - 1) return false;
    size_t size = 0;
    if (!ZiplistEntry(blob, pos, &entry, &size)) return false;
    pos += size;
    if (pos > blob.size() - 1) return false;
    entries->push_back(std::move(entry));
    count++;
  }
  return declared == 65535 || declared == count;
}

bool ParseIntset(std::string_view blob, std::vector<std::string>* entries) {
  if (blob.size() < 8) return false;
  uint64_t width = LittleEndian(blob, 0, 4);
  uint64_t length = LittleEndian(blob, 4, 4);
  if ((width != 2 && width != 4 && width != 8) || blob.size() != 8 + width * length) return false;
  int64_t previous = 0;
  for (uint64_t i = 0; i < length; ++i) {
    int64_t value = SignExtend(LittleEndian(blob, 8 + i * width, width), int(width * 8));
    if (i > 0 && value <= previous) return false;  // intsets are sorted and unique
    entries->push_back(std::to_string(value));
    previous = value;
  }
  return true;
}

bool ParseZipmap(std::string_view blob, std::vector<std::string>* entries) {
  size_t pos = 1;  // skip the count byte (a hint only)
  for (;;) {
    if (pos >= blob.size()) return false;
    if (static_cast<uint8_t>(blob[pos]) == kEnd) return pos + 1 == blob.size();
    uint64_t length = 0;
    if (!ZipmapLength(blob, &pos, &length) || length > blob.size() - pos) return false;
    entries->emplace_back(blob.substr(pos, length));
    pos += length;
    if (!ZipmapLength(blob, &pos, &length) || pos >= blob.size()) return false;
    uint64_t free = static_cast<uint8_t>(blob[pos++]);
    if (length > blob.size() - pos || free > blob.size() - pos - length) return false;
    entries->emplace_back(blob.substr(pos, length));
    pos += length + free;
  }
}

ListpackBuilder::ListpackBuilder() = default;

void ListpackBuilder::Append(std::string_view entry) {
  size_t start = body_.size();
  int64_t number = 0;
  if (ParseInt64(entry, &number)) {
    if (number >= 0 && number <= 127) {
      body_.push_back(static_cast<char>(number));
    } else if (number >= -4096 && number <= 4095) {
      auto bits = static_cast<uint64_t>(number) & 0x1fff;
      body_.push_back(static_cast<char>(0xC0 | (bits >> 8)));
      body_.push_back(static_cast<char>(bits & 0xff));
    } else {
      size_t width = number >= -32768 && number <= 32767       ? 2
                     : number >= -8388608 && number <= 8388607 ? 3
                     : number >= std::numeric_limits<int32_t>::min() &&
                             number <= std::numeric_limits<int32_t>::max()
                         ? 4
                         : 8;
      body_.push_back(static_cast<char>(width == 2   ? 0xF1
                                        : width == 3 ? 0xF2
                                        : width == 4 ? 0xF3
                                                     : 0xF4));
      PutLittleEndian(&body_, static_cast<uint64_t>(number), width);
    }
  } else if (entry.size() < 64) {
    body_.push_back(static_cast<char>(0x80 | entry.size()));
    body_.append(entry);
  } else if (entry.size() < 4096) {
    body_.push_back(static_cast<char>(0xE0 | (entry.size() >> 8)));
    body_.push_back(static_cast<char>(entry.size() & 0xff));
    body_.append(entry);
  } else {
    body_.push_back(static_cast<char>(0xF0));
    PutLittleEndian(&body_, entry.size(), 4);
    body_.append(entry);
  }
  PutBacklen(&body_, body_.size() - start);
  count_++;
}

std::string ListpackBuilder::Finish() {
  std::string blob;
  blob.reserve(bytes());
  PutLittleEndian(&blob, bytes(), 4);
  PutLittleEndian(&blob, std::min<size_t>(count_, 65535), 2);
  blob.append(body_);
  blob.push_back(static_cast<char>(kEnd));
  body_.clear();
  count_ = 0;
  return blob;
}

std::string BuildIntset(std::vector<int64_t> numbers) {
  std::sort(numbers.begin(), numbers.end());
  size_t width = 2;
  for (int64_t n : numbers) {
    if (n < std::numeric_limits<int32_t>::min() || n > std::numeric_limits<int32_t>::max()) {
      width = 8;
      break;
    }
    if (n < -32768 || n > 32767) width = 4;
  }
  std::string blob;
  blob.reserve(8 + width * numbers.size());
  PutLittleEndian(&blob, width, 4);
  PutLittleEndian(&blob, numbers.size(), 4);
  for (int64_t n : numbers) PutLittleEndian(&blob, static_cast<uint64_t>(n), width);
  return blob;
}

}  // namespace cairn
