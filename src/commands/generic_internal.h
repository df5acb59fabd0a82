// Shared by the generic (keyspace) command files: the registration function of each file and
// the small helpers more than one of them needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cairn {

class CommandRegistry;
struct CommandContext;

void RegisterGenericExpireCommands(CommandRegistry& registry);  // generic_expire.cc
void RegisterGenericScanCommands(CommandRegistry& registry);    // generic_scan.cc
void RegisterGenericObjectCommands(CommandRegistry& registry);  // generic_object.cc
void RegisterGenericDumpCommands(CommandRegistry& registry);    // generic_dump.cc
void RegisterGenericSortCommands(CommandRegistry& registry);    // generic_sort.cc

// Counts keyspace hits/misses for a lookup that must not count as an access (Redis's
// LOOKUP_NOTOUCH: TYPE, EXISTS, TTL, OBJECT), so OBJECT IDLETIME keeps its meaning.
void CountLookupWithoutTouch(CommandContext& context, uint64_t hits, uint64_t misses);

// Redis's getIntFromObjectOrReply followed by the db range check of COPY ... DB and MOVE.
// Replies with Redis's error and returns false when `text` is not a usable db index.
bool ParseDbIndexOrReply(CommandContext& context, const std::string& text, int* db);

// The argument rules SCAN shares with HSCAN, SSCAN and ZSCAN (collection_scan.cc): Redis's
// parseScanCursorOrReply, and the [MATCH pattern] [COUNT count] [TYPE type] options from
// args[first] on (TYPE only where allow_type, as only SCAN has it).
bool ParseCursorOrReply(CommandContext& context, const std::string& text, uint64_t* cursor);
struct ScanOptions {
  int64_t count = 10;
  std::optional<std::string> pattern;
  std::optional<std::string> type_name;
};
bool ParseScanOptionsOrReply(CommandContext& context, size_t first, bool allow_type,
                             ScanOptions* options);

}  // namespace cairn
