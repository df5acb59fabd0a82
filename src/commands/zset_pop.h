// The shared tail of the sorted-set pops: ZPOPMIN/ZPOPMAX/ZMPOP (zset_pop.cc) and their
// blocking variants (BZPOPMIN/BZPOPMAX/BZMPOP) use the same argument parsing, replies and
// keyspace events, so a served blocked client looks exactly like the non-blocking command
// to other clients and to notification listeners.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/zset.h"

namespace cairn {

struct CommandContext;

// Replies like ZPOPMIN/ZPOPMAX (with_key=false) or ZMPOP/BZMPOP (with_key=true:
// [key, [[m, s]...]], a null array when `popped` is empty) and emits zpopmin/zpopmax (+ del
// when the key is gone) events, recording the access when it stays. Without the key, the
// members come as [member, score] pairs when `pairs` (ZPOPMIN with a COUNT in RESP3),
// otherwise flat: m1 s1 m2 s2 ...
void ReplyPopped(CommandContext& context, std::string_view key, bool max,
                 const std::vector<ScoredMember>& popped, bool with_key, bool pairs = false);

// ZMPOP/BZMPOP's "numkeys key [key ...] MIN|MAX [COUNT count]".
struct ZMPopArguments {
  std::span<const std::string> keys;
  bool max = false;
  uint64_t count = 1;
};

// Parses args[numkeys_index...] exactly as Redis's zmpopGenericCommand does; on a bad
// argument replies with Redis's error and returns false.
bool ParseZMPopArguments(CommandContext& context, size_t numkeys_index, ZMPopArguments* parsed);

// Pops up to `count` members from the first non-empty sorted set among `keys` (in order),
// emits the events, records the access and replies [key, [[m, s]...]]. A key of another
// type met before a non-empty sorted set replies WRONGTYPE. Returns false, having replied
// nothing, when every key is missing: ZMPOP then replies a null array, BZMPOP blocks.
bool PopFirstNonEmptyZSetAndReply(CommandContext& context, std::span<const std::string> keys,
                                  bool max, uint64_t count);

}  // namespace cairn
