// Shared by the generic (keyspace) command files: the registration function of each file and
// the small helpers more than one of them needs.
#pragma once

#include <cstdint>
#include <string>

namespace cairn {

class CommandRegistry;
struct CommandContext;

void RegisterGenericExpireCommands(CommandRegistry& registry);  // generic_expire.cc
void RegisterGenericScanCommands(CommandRegistry& registry);    // generic_scan.cc
void RegisterGenericObjectCommands(CommandRegistry& registry);  // generic_object.cc

// Counts keyspace hits/misses for a lookup that must not count as an access (Redis's
// LOOKUP_NOTOUCH: TYPE, EXISTS, TTL, OBJECT), so OBJECT IDLETIME keeps its meaning.
void CountLookupWithoutTouch(CommandContext& context, uint64_t hits, uint64_t misses);

// Redis's getIntFromObjectOrReply followed by the db range check of COPY ... DB and MOVE.
// Replies with Redis's error and returns false when `text` is not a usable db index.
bool ParseDbIndexOrReply(CommandContext& context, const std::string& text, int* db);

}  // namespace cairn
