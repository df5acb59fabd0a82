// PeekCommand (see command_peek.h).
#include "src/protocol/command_peek.h"

#include <cstdint>

namespace cairn {

namespace {

// Reads "<prefix><digits>\r\n" at *at; false if it is not all there or not a small count.
bool ReadCountLine(std::string_view input, char prefix, size_t* at, size_t* count) {
  constexpr size_t kMaxDigits = 10;
  size_t i = *at;
  if (i >= input.size() || input[i] != prefix) return false;
  i++;
  uint64_t value = 0;
  size_t digits = 0;
  while (i < input.size() && input[i] >= '0' && input[i] <= '9') {
    if (++digits > kMaxDigits) return false;
    value = value * 10 + static_cast<uint64_t>(input[i] - '0');
    i++;
  }
  if (digits == 0 || i + 1 >= input.size() || input[i] != '\r' || input[i + 1] != '\n') {
    return false;
  }
  *at = i + 2;
  *count = static_cast<size_t>(value);
  return true;
}

}  // namespace

bool PeekCommand(std::string_view input, PeekedCommand* out) {
  size_t at = 0;
  size_t count = 0;
  if (!ReadCountLine(input, '*', &at, &count) || count == 0 || count > kMaxPeekedArguments) {
    return false;
  }
  std::string_view first_argument;
  for (size_t index = 0; index < count; index++) {
    size_t length = 0;
    if (!ReadCountLine(input, '$', &at, &length)) return false;
    if (length > input.size() || input.size() - at < length + 2) return false;
    if (input[at + length] != '\r' || input[at + length + 1] != '\n') return false;
    if (index == 1) first_argument = input.substr(at, length);
    at += length + 2;
  }
  out->bytes = at;
  out->argument_count = count;
  out->first_argument = first_argument;
  return true;
}

}  // namespace cairn
