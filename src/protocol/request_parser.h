// RequestParser: turns the bytes a client sends into commands (argument vectors), the way
// Redis 7.0's processMultibulkBuffer and processInlineBuffer do, incrementally.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

struct ParserLimits {
  // proto-max-bulk-len: longer bulks are "invalid bulk length".
  int64_t max_bulk_length = 512LL << 20;
  // Redis 7.0 refuses multibulk counts above INT_MAX (6.2 and older stopped at 1024*1024).
  int64_t max_multibulk_length = INT_MAX;
  // PROTO_INLINE_MAX_SIZE: the longest inline request, and the longest count line ("*<n>",
  // "$<n>") the parser waits for before it gives up.
  size_t max_inline_length = 64 * 1024;
  // The client has not authenticated on a server that requires it: at most 10 arguments
  // and 16384-byte bulks, as in Redis 7.0.
  bool unauthenticated = false;
};

enum class ParseResult { kCommand, kNeedMore, kProtocolError };

class RequestParser {
 public:
  // Parses the front of input, the client's unconsumed bytes. *consumed tells how many bytes
  // the parser took (the caller drops them); the next call must pass the bytes that were not
  // consumed followed by any new ones. Returns:
  //   kCommand: *args holds one whole command (its previous contents are discarded);
  //   kNeedMore: no complete command yet; partial bulk data is consumed and kept inside;
  //   kProtocolError: error() says why; the connection should be answered and closed, and
  //     further calls keep failing until Reset().
  // Empty commands ("*0\r\n", "*-1\r\n", blank inline lines) are skipped.
  ParseResult Parse(std::string_view input, size_t* consumed, std::vector<std::string>* args);

  // Redis's reply text for the last protocol error, e.g. "Protocol error: invalid bulk
  // length" (without the "ERR " prefix that the reply adds).
  const std::string& error() const { return error_; }

  const ParserLimits& limits() const { return limits_; }
  void set_limits(const ParserLimits& limits) { limits_ = limits; }

  // Bytes of a partially received command held by the parser (query buffer accounting).
  size_t pending_bytes() const { return pending_bytes_; }

  // Forgets any partial command and error; keeps the limits.
  void Reset();

 private:
  enum class State {
    kCommandStart,
    kInline,
    kMultibulkCount,
    kBulkLength,
    kBulkData,
    kBulkEnd,
    kFailed
  };
  // The outcome of one step of the state machine.
  enum class Step { kContinue, kCommand, kNeedMore, kError };

  Step RunStep(std::string_view rest, size_t* used);
  Step ReadInline(std::string_view rest, size_t* used);
  Step ReadMultibulkCount(std::string_view rest, size_t* used);
  Step ReadBulkLength(std::string_view rest, size_t* used);
  Step ReadBulkData(std::string_view rest, size_t* used);
  Step ReadBulkEnd(std::string_view rest, size_t* used);
  Step Fail(std::string_view message);
  // Finds terminator in rest without rescanning what earlier calls already searched.
  bool FindTerminator(std::string_view rest, char terminator, size_t* at);
  void AppendBulkBytes(std::string_view bytes);

  ParserLimits limits_;
  State state_ = State::kCommandStart;
  std::vector<std::string> args_;  // the command being assembled
  std::string error_;
  size_t scanned_ = 0;               // bytes of the unconsumed input known to lack a terminator
  int64_t multibulk_remaining_ = 0;  // bulks still to come in this command
  int64_t bulk_remaining_ = 0;       // bytes still to come in the current bulk
  int bulk_end_remaining_ = 0;       // bytes of the bulk's trailing CRLF still to skip
  size_t pending_bytes_ = 0;
};

}  // namespace cairn
