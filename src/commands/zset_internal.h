// Shared by the sorted-set handler files (zset.cc, zset_range.cc, zset_store.cc,
// zset_pop.cc): argument parsers with Redis's rules for score and lex ranges, the reply
// shape of scored member lists, lookups counted as Redis counts them, and the group's
// registration parts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/zset.h"

namespace cairn {

struct CommandContext;
class CommandRegistry;
class ReplyBuilder;
class ZSets;

ZSets& ZSetsOf(CommandContext& context);

// Redis's zslParseRange for one bound: strtod over the C string ("(" prefix = exclusive),
// NaN refused. False means "ERR min or max is not a float".
bool ParseScoreBound(const std::string& text, ScoreBound* bound);
// Redis's zslParseLexRangeItem: "-", "+", "[x", "(x". False means
// "ERR min or max not valid string range item".
bool ParseLexBound(const std::string& text, LexBound* bound);

inline constexpr char kErrScoreRange[] = "ERR min or max is not a float";
inline constexpr char kErrLexRange[] = "ERR min or max not valid string range item";

// A list of members, with scores when asked: flat in RESP2, [member, score] pairs in RESP3
// (Redis's zrange result handler).
void ReplyScoredMembers(ReplyBuilder* reply, const std::vector<ScoredMember>& members,
                        bool with_scores);

// A read command's lookup of `key`: counts the keyspace hit or miss (a key of another type
// is a hit, as in Redis). Returns the status the key's type check gives.
Status CountZSetRead(CommandContext& context, std::string_view key);

// After a write that removed members: emits `event`, then "del" if the key went, and
// records the access when it stays.
void NotifyRemoved(CommandContext& context, std::string_view key, std::string_view event);

void RegisterZSetRangeCommands(CommandRegistry& registry);  // zset_range.cc
void RegisterZSetStoreCommands(CommandRegistry& registry);  // zset_store.cc
void RegisterZSetPopCommands(CommandRegistry& registry);    // zset_pop.cc

}  // namespace cairn
