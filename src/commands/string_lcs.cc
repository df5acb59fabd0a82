// LCS: Redis 7.0's longest common subsequence command. The two strings are compared with the
// classic dynamic programming table, whose size is bounded by proto-max-bulk-len as in
// Redis, then the table is walked back from the end to produce the subsequence text or the
// matching ranges (last match first, exactly as Redis emits them).
#include "src/commands/string_lcs.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "engine/storage.h"
#include "engine/string.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/config/config.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

struct LcsOptions {
  bool want_len = false;
  bool want_idx = false;
  bool with_match_len = false;
  int64_t min_match_len = 0;
};

// One run of matching bytes: inclusive offsets into each string.
struct LcsRange {
  uint32_t a_start;
  uint32_t a_end;
  uint32_t b_start;
  uint32_t b_end;
  uint32_t length() const { return a_end - a_start + 1; }
};

// Cell (i, j) holds the LCS length of a[0, i) and b[0, j).
class LcsTable {
 public:
  LcsTable(std::string_view a, std::string_view b, std::unique_ptr<uint32_t[]> cells)
      : a_(a), b_(b), cells_(std::move(cells)) {
    Fill();
  }

  uint32_t length() const { return At(a_.size(), b_.size()); }

  // Walks back from the end like Redis: the subsequence into *text and, if ranges is not
  // null, the ranges of at least min_match_len bytes, in the order Redis reports them.
  void Walk(int64_t min_match_len, std::string* text, std::vector<LcsRange>* ranges) const;

 private:
  uint32_t& At(size_t i, size_t j) { return cells_[j + i * (b_.size() + 1)]; }
  uint32_t At(size_t i, size_t j) const { return cells_[j + i * (b_.size() + 1)]; }
  void Fill();

  std::string_view a_;
  std::string_view b_;
  std::unique_ptr<uint32_t[]> cells_;
};

void LcsTable::Fill() {
  for (size_t j = 0; j <= b_.size(); ++j) At(0, j) = 0;
  for (size_t i = 1; i <= a_.size(); ++i) {
    At(i, 0) = 0;
    for (size_t j = 1; j <= b_.size(); ++j) {
      if (a_[i - 1] == b_[j - 1]) {
        At(i, j) = At(i - 1, j - 1) + 1;
      } else {
        At(i, j) = std::max(At(i - 1, j), At(i, j - 1));
      }
    }
  }
}

void LcsTable::Walk(int64_t min_match_len, std::string* text, std::vector<LcsRange>* ranges) const {
  size_t remaining = length();
  text->assign(remaining, '\0');
  size_t i = a_.size();
  size_t j = b_.size();
  bool open = false;  // a range is being extended backwards
  LcsRange range{};
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a_[i - 1] == b_[j - 1]) {
      (*text)[--remaining] = a_[i - 1];
      auto a_at = static_cast<uint32_t>(i - 1);
      auto b_at = static_cast<uint32_t>(j - 1);
      if (!open) {
        range = LcsRange{a_at, a_at, b_at, b_at};
        open = true;
      } else if (range.a_start == a_at + 1 && range.b_start == b_at + 1) {
        range.a_start = a_at;
        range.b_start = b_at;
      } else {
        emit = true;
      }
      // A match on the first byte of either string ends the walk: report it now.
      if (range.a_start == 0 || range.b_start == 0) emit = true;
      --i;
      --j;
    } else {
      if (At(i - 1, j) > At(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      emit = open;
    }
    if (emit) {
      if (ranges != nullptr && range.length() >= min_match_len) ranges->push_back(range);
      open = false;
    }
  }
}

// Redis's option loop; replies and returns false on a bad option.
bool ParseLcsOptions(CommandContext& context, LcsOptions* options) {
  const auto& args = context.args;
  for (size_t j = 3; j < args.size(); ++j) {
    const std::string& word = args[j];
    bool has_more = j + 1 < args.size();
    if (EqualsIgnoreCase(word, "IDX")) {
      options->want_idx = true;
    } else if (EqualsIgnoreCase(word, "LEN")) {
      options->want_len = true;
    } else if (EqualsIgnoreCase(word, "WITHMATCHLEN")) {
      options->with_match_len = true;
    } else if (EqualsIgnoreCase(word, "MINMATCHLEN") && has_more) {
      if (!ParseInt64(args[++j], &options->min_match_len)) {
        context.reply->Error(kErrNotInteger);
        return false;
      }
      if (options->min_match_len < 0) options->min_match_len = 0;
    } else {
      context.reply->Error(kErrSyntax);
      return false;
    }
  }
  if (options->want_idx && options->want_len) {
    context.reply->Error("ERR If you want both the length and indexes, please just use IDX.");
    return false;
  }
  return true;
}

// Both keys' strings (a missing key is ""). Replies and returns false when either key holds
// another type or the engine fails.
bool FetchStrings(CommandContext& context, std::string* a, std::string* b) {
  Strings& strings = context.server->storage().strings();
  int db = context.client->db();
  Status first = strings.Get(db, context.args[1], a);
  Status second = strings.Get(db, context.args[2], b);
  bool wrong_type = false;
  for (size_t k = 0; k < 2; ++k) {
    const Status& status = k == 0 ? first : second;
    CountLookup(context, context.args[1 + k], status.ok() || status.IsWrongType());
    wrong_type = wrong_type || status.IsWrongType();
  }
  if (wrong_type) {
    context.reply->Error("ERR The specified keys must contain string values");
    return false;
  }
  for (const Status* status : {&first, &second}) {
    if (!status->IsNotFound() && ReplyIfError(*status, context.reply)) return false;
  }
  return true;
}

// The table's memory, refused like Redis when it would exceed proto-max-bulk-len (or the
// strings are too long to index with 32 bits). Replies and returns null on refusal.
std::unique_ptr<uint32_t[]> AllocateTable(CommandContext& context, size_t a_len, size_t b_len) {
  constexpr uint64_t kMaxLen = std::numeric_limits<uint32_t>::max() - 1;
  if (a_len >= kMaxLen || b_len >= kMaxLen) {
    context.reply->Error("ERR String too long for LCS");
    return nullptr;
  }
  uint64_t cells = (uint64_t{a_len} + 1) * (uint64_t{b_len} + 1);
  std::unique_ptr<uint32_t[]> table;
  if (cells <= std::numeric_limits<uint64_t>::max() / sizeof(uint32_t)) {
    uint64_t bytes = cells * sizeof(uint32_t);
    if (bytes > static_cast<uint64_t>(context.server->config().proto_max_bulk_len())) {
      context.reply->Error(
          "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
      return nullptr;
    }
    table.reset(new (std::nothrow) uint32_t[cells]);
  }
  if (table == nullptr) {
    context.reply->Error("ERR Insufficient memory, failed allocating transient memory for LCS");
  }
  return table;
}

// IDX: {"matches": [[[a_start, a_end], [b_start, b_end], (len)], ...], "len": n}.
void ReplyRanges(ReplyBuilder* reply, const std::vector<LcsRange>& ranges, bool with_match_len,
                 uint32_t length) {
  reply->MapHeader(2);
  reply->Bulk("matches");
  reply->ArrayHeader(ranges.size());
  for (const LcsRange& range : ranges) {
    reply->ArrayHeader(with_match_len ? 3 : 2);
    reply->ArrayHeader(2);
    reply->Integer(range.a_start);
    reply->Integer(range.a_end);
    reply->ArrayHeader(2);
    reply->Integer(range.b_start);
    reply->Integer(range.b_end);
    if (with_match_len) reply->Integer(range.length());
  }
  reply->Bulk("len");
  reply->Integer(length);
}

}  // namespace

void LcsCommand(CommandContext& context) {
  std::string a;
  std::string b;
  if (!FetchStrings(context, &a, &b)) return;
  LcsOptions options;
  if (!ParseLcsOptions(context, &options)) return;
  std::unique_ptr<uint32_t[]> cells = AllocateTable(context, a.size(), b.size());
  if (cells == nullptr) return;
  LcsTable table(a, b, std::move(cells));
  if (options.want_len) {
    context.reply->Integer(table.length());
    return;
  }
  std::string text;
  std::vector<LcsRange> ranges;
  table.Walk(options.min_match_len, &text, options.want_idx ? &ranges : nullptr);
  if (options.want_idx) {
    ReplyRanges(context.reply, ranges, options.with_match_len, table.length());
  } else {
    context.reply->Bulk(text);
  }
}

}  // namespace cairn
