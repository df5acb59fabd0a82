// The RESP request state machine. It mirrors Redis 7.0's networking.c closely, quirks
// included (the CRLF after a bulk is skipped unchecked, a count line ends at its first CR),
// because clients and proxies rely on exactly which inputs Redis accepts and refuses.
#include "src/protocol/request_parser.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "src/protocol/inline_args.h"

namespace cairn {
namespace {

// Redis limits the arguments of unauthenticated clients to stop memory-exhaustion attacks.
constexpr int64_t kUnauthenticatedMaxArguments = 10;
constexpr int64_t kUnauthenticatedMaxBulk = 16384;
// The argument vector grows from here rather than trusting a client's claimed count.
constexpr int64_t kInitialArgumentSlots = 1024;

// Redis's string2ll: an optional '-', then "0" alone or a digit 1-9 followed by digits;
// no blanks, no '+', no leading zeros, no "-0", and it must fit in 64 bits.
bool ParseCount(std::string_view text, int64_t* value) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits[0] < '0' || digits[0] > '9') return false;
  if (digits[0] == '0' && (negative || digits.size() > 1)) return false;
  auto result = std::from_chars(text.data(), text.data() + text.size(), *value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

}  // namespace

ParseResult RequestParser::Parse(std::string_view input, size_t* consumed,
                                 std::vector<std::string>* args) {
  size_t position = 0;
  Step step = Step::kContinue;
  while (step == Step::kContinue) {
    size_t used = 0;
    step = RunStep(input.substr(position), &used);
    if (used > 0) scanned_ = 0;  // the search offset is relative to the unconsumed bytes
    position += used;
  }
  *consumed = position;
  switch (step) {
    case Step::kCommand:
      args->swap(args_);
      args_.clear();
      pending_bytes_ = 0;
      return ParseResult::kCommand;
    case Step::kError:
      return ParseResult::kProtocolError;
    default:
      return ParseResult::kNeedMore;
  }
}

void RequestParser::Reset() {
  state_ = State::kCommandStart;
  args_.clear();
  error_.clear();
  scanned_ = 0;
  multibulk_remaining_ = 0;
  bulk_remaining_ = 0;
  bulk_end_remaining_ = 0;
  pending_bytes_ = 0;
}

RequestParser::Step RequestParser::RunStep(std::string_view rest, size_t* used) {
  switch (state_) {
    case State::kCommandStart:
      if (rest.empty()) return Step::kNeedMore;
      state_ = rest[0] == '*' ? State::kMultibulkCount : State::kInline;
      return Step::kContinue;
    case State::kInline:
      return ReadInline(rest, used);
    case State::kMultibulkCount:
      return ReadMultibulkCount(rest, used);
    case State::kBulkLength:
      return ReadBulkLength(rest, used);
    case State::kBulkData:
      return ReadBulkData(rest, used);
    case State::kBulkEnd:
      return ReadBulkEnd(rest, used);
    case State::kFailed:
      break;
  }
  return Step::kError;
}

RequestParser::Step RequestParser::ReadInline(std::string_view rest, size_t* used) {
  size_t newline = 0;
  if (!FindTerminator(rest, '\n', &newline)) {
    if (rest.size() > limits_.max_inline_length) {
      return Fail("Protocol error: too big inline request");
    }
    return Step::kNeedMore;
  }
  size_t line_length = newline > 0 && rest[newline - 1] == '\r' ? newline - 1 : newline;
  if (!SplitInlineArguments(rest.substr(0, line_length), &args_)) {
    return Fail("Protocol error: unbalanced quotes in request");
  }
  *used = newline + 1;
  state_ = State::kCommandStart;
  return args_.empty() ? Step::kContinue : Step::kCommand;
}

RequestParser::Step RequestParser::ReadMultibulkCount(std::string_view rest, size_t* used) {
  size_t carriage_return = 0;
  if (!FindTerminator(rest, '\r', &carriage_return)) {
    if (rest.size() > limits_.max_inline_length) {
      return Fail("Protocol error: too big mbulk count string");
    }
    return Step::kNeedMore;
  }
  if (carriage_return + 2 > rest.size()) return Step::kNeedMore;  // the LF is still to come
  int64_t count = 0;
  if (!ParseCount(rest.substr(1, carriage_return - 1), &count) ||
      count > limits_.max_multibulk_length) {
    return Fail("Protocol error: invalid multibulk length");
  }
  if (count > kUnauthenticatedMaxArguments && limits_.unauthenticated) {
    return Fail("Protocol error: unauthenticated multibulk length");
  }
  *used = carriage_return + 2;
  if (count <= 0) {
    state_ = State::kCommandStart;
    return Step::kContinue;
  }
  multibulk_remaining_ = count;
  args_.reserve(static_cast<size_t>(std::min(count, kInitialArgumentSlots)));
  state_ = State::kBulkLength;
  return Step::kContinue;
}

RequestParser::Step RequestParser::ReadBulkLength(std::string_view rest, size_t* used) {
  size_t carriage_return = 0;
  if (!FindTerminator(rest, '\r', &carriage_return)) {
    if (rest.size() > limits_.max_inline_length) {
      return Fail("Protocol error: too big bulk count string");
    }
    return Step::kNeedMore;
  }
  if (carriage_return + 2 > rest.size()) return Step::kNeedMore;
  if (rest[0] != '$') {
    return Fail(std::string("Protocol error: expected '$', got '") + rest[0] + "'");
  }
  int64_t length = 0;
  if (!ParseCount(rest.substr(1, carriage_return - 1), &length) || length < 0 ||
      length > limits_.max_bulk_length) {
    return Fail("Protocol error: invalid bulk length");
  }
  if (length > kUnauthenticatedMaxBulk && limits_.unauthenticated) {
    return Fail("Protocol error: unauthenticated bulk length");
  }
  *used = carriage_return + 2;
  bulk_remaining_ = length;
  args_.emplace_back();
  // Reserve only what is really here: a claimed length costs nothing until bytes arrive.
  size_t present = rest.size() - *used;
  args_.back().reserve(std::min(static_cast<size_t>(length), present));
  state_ = State::kBulkData;
  return Step::kContinue;
}

RequestParser::Step RequestParser::ReadBulkData(std::string_view rest, size_t* used) {
  size_t take = std::min(static_cast<size_t>(bulk_remaining_), rest.size());
  AppendBulkBytes(rest.substr(0, take));
  *used = take;
  if (bulk_remaining_ > 0) return Step::kNeedMore;
  bulk_end_remaining_ = 2;
  state_ = State::kBulkEnd;
  return Step::kContinue;
}

RequestParser::Step RequestParser::ReadBulkEnd(std::string_view rest, size_t* used) {
  // Redis skips the two bytes after a bulk without looking at them; so does Cairn.
  size_t take = std::min(static_cast<size_t>(bulk_end_remaining_), rest.size());
  bulk_end_remaining_ -= static_cast<int>(take);
  *used = take;
  if (bulk_end_remaining_ > 0) return Step::kNeedMore;
  if (--multibulk_remaining_ > 0) {
    state_ = State::kBulkLength;
    return Step::kContinue;
  }
  state_ = State::kCommandStart;
  return Step::kCommand;
}

RequestParser::Step RequestParser::Fail(std::string_view message) {
  // The text goes out on an error line, where CR and LF cannot appear.
  error_.assign(message);
  std::replace_if(
      error_.begin(), error_.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  state_ = State::kFailed;
  args_.clear();
  pending_bytes_ = 0;
  return Step::kError;
}

bool RequestParser::FindTerminator(std::string_view rest, char terminator, size_t* at) {
  size_t from = std::min(scanned_, rest.size());
  if (from == rest.size()) return false;
  const void* found = std::memchr(rest.data() + from, terminator, rest.size() - from);
  if (found == nullptr) {
    scanned_ = rest.size();
    return false;
  }
  *at = static_cast<size_t>(static_cast<const char*>(found) - rest.data());
  scanned_ = *at;
  return true;
}

void RequestParser::AppendBulkBytes(std::string_view bytes) {
  std::string& argument = args_.back();
  size_t needed = argument.size() + bytes.size();
  if (needed > argument.capacity()) {
    // Grow geometrically for pieces of a large bulk, but never past its announced length.
    size_t announced = argument.size() + static_cast<size_t>(bulk_remaining_);
    argument.reserve(std::min(announced, std::max(needed, argument.capacity() * 2)));
  }
  argument.append(bytes);
  bulk_remaining_ -= static_cast<int64_t>(bytes.size());
  pending_bytes_ += bytes.size();
}

}  // namespace cairn
