// Transcriptions of Redis 7.0's string2ll, string2ld and ld2string(LD_STR_HUMAN).
#include "encoding/number_text.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace cairn {

namespace {

constexpr size_t kLongStrSize = 21;               // Redis LONG_STR_SIZE
constexpr size_t kMaxLongDoubleChars = 5 * 1024;  // Redis MAX_LONG_DOUBLE_CHARS

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool ParseInt64(std::string_view text, int64_t* value) {
  if (text.empty() || text.size() >= kLongStrSize) return false;
  if (text == "0") {
    *value = 0;
    return true;
  }
  bool negative = text[0] == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text[0] < '1' || text[0] > '9') return false;
  uint64_t magnitude = 0;
  for (char c : text) {
    if (!IsDigit(c)) return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
  }
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (magnitude > kMaxPositive + 1) return false;
    *value = static_cast<int64_t>(0 - magnitude);
  } else {
    if (magnitude > kMaxPositive) return false;
    *value = static_cast<int64_t>(magnitude);
  }
  return true;
}

bool ParseLongDouble(std::string_view text, long double* value) {
  if (text.empty() || text.size() >= kMaxLongDoubleChars) return false;
  char buf[kMaxLongDoubleChars];
  text.copy(buf, text.size());
  buf[text.size()] = '\0';
  errno = 0;
  char* end = nullptr;
  long double parsed = std::strtold(buf, &end);
  if (std::isspace(static_cast<unsigned char>(buf[0])) || end[0] != '\0' ||
      static_cast<size_t>(end - buf) != text.size() ||
      (errno == ERANGE &&
       (parsed == HUGE_VALL || parsed == -HUGE_VALL || std::fpclassify(parsed) == FP_ZERO)) ||
      errno == EINVAL || std::isnan(parsed)) {
    return false;
  }
  *value = parsed;
  return true;
}

std::string FormatLongDoubleHuman(long double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[kMaxLongDoubleChars];
  int written = std::snprintf(buf, sizeof(buf), "%.17Lf", value);
  if (written < 0 || static_cast<size_t>(written) >= sizeof(buf)) return {};
  size_t length = static_cast<size_t>(written);
  std::string_view text(buf, length);
  if (text.find('.') != std::string_view::npos) {
    while (length > 0 && buf[length - 1] == '0') length--;
    if (length > 0 && buf[length - 1] == '.') length--;
  }
  if (length == 2 && buf[0] == '-' && buf[1] == '0') return "0";
  return std::string(buf, length);
}

std::string FormatInt64(int64_t value) {
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, result.ptr);
}

}  // namespace cairn
