// Generic (keyspace) group, iteration: KEYS and SCAN (MATCH, COUNT, TYPE). Cursors are the
// engine's (see engine/scan_cursors.h); this file parses them the way Redis does.
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "encoding/metadata.h"
#include "engine/keyspace.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/commands/generic_internal.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

void Keys(CommandContext& context) {
  std::vector<std::string> keys;
  Status status =
      context.server->storage().keyspace().Keys(context.client->db(), context.args[1], &keys);
  if (ReplyIfError(status, context.reply)) return;
  context.reply->BulkArray(keys.data(), keys.size());
}

}  // namespace

// Redis's parseScanCursorOrReply: strtoul in base 10 over the whole argument, so "-1" wraps
// to the largest cursor, "+7" and "007" are 7, and "" is 0; a leading space, trailing junk
// or a value past 64 bits is "ERR invalid cursor".
bool ParseCursorOrReply(CommandContext& context, const std::string& text, uint64_t* cursor) {
  char* end = nullptr;
  errno = 0;
  unsigned long long value = strtoull(text.c_str(), &end, 10);
  if (isspace(static_cast<unsigned char>(text.c_str()[0])) || *end != '\0' || errno == ERANGE) {
    context.reply->Error("ERR invalid cursor");
    return false;
  }
  *cursor = value;
  return true;
}

bool ParseScanOptionsOrReply(CommandContext& context, size_t first, bool allow_type,
                             ScanOptions* options) {
  const auto& args = context.args;
  for (size_t i = first; i < args.size(); i += 2) {
    bool has_value = i + 1 < args.size();
    if (has_value && EqualsIgnoreCase(args[i], "COUNT")) {
      if (!ParseInt64(args[i + 1], &options->count)) {
        context.reply->Error(kErrNotInteger);
        return false;
      }
      if (options->count < 1) {
        context.reply->Error(kErrSyntax);
        return false;
      }
    } else if (has_value && EqualsIgnoreCase(args[i], "MATCH")) {
      options->pattern = args[i + 1];
    } else if (has_value && allow_type && EqualsIgnoreCase(args[i], "TYPE")) {
      options->type_name = args[i + 1];
    } else {
      context.reply->Error(kErrSyntax);
      return false;
    }
  }
  return true;
}

namespace {

void Scan(CommandContext& context) {
  uint64_t cursor = 0;
  ScanOptions options;
  if (!ParseCursorOrReply(context, context.args[1], &cursor) ||
      !ParseScanOptionsOrReply(context, 2, true, &options)) {
    return;
  }
  std::optional<ValueType> type;
  // An unknown type name is accepted and matches nothing (no key has that type): the scan
  // still walks, so the cursor advances as usual.
  bool matches_nothing = false;
  if (options.type_name) {
    type = ValueTypeFromName(*options.type_name);
    matches_nothing = !type;
  }
  std::string pattern = options.pattern.value_or("");
  std::vector<std::string> keys;
  uint64_t next_cursor = 0;
  Status status = context.server->storage().keyspace().Scan(context.client->db(), cursor, pattern,
                                                            static_cast<size_t>(options.count),
                                                            type, &keys, &next_cursor);
  if (ReplyIfError(status, context.reply)) return;
  // The engine reads an empty pattern as "no MATCH"; an explicit MATCH "" only matches the
  // empty key name in Redis.
  if (options.pattern && options.pattern->empty()) {
    std::erase_if(keys, [](const std::string& key) { return !key.empty(); });
  }
  if (matches_nothing) keys.clear();
  context.reply->ArrayHeader(2);
  context.reply->Bulk(std::to_string(next_cursor));
  context.reply->BulkArray(keys.data(), keys.size());
}

}  // namespace

void RegisterGenericScanCommands(CommandRegistry& registry) {
  registry.Add("KEYS", Keys);
  registry.Add("SCAN", Scan);
}

}  // namespace cairn
