// The shared tail of the list pops and moves: LPOP/RPOP/LMPOP/LMOVE/RPOPLPUSH (list.cc) and
// their blocking variants (BLPOP/BRPOP/BLMPOP/BLMOVE/BRPOPLPUSH) use the same argument
// parsing, replies and keyspace events, so a served blocked client looks exactly like the
// non-blocking command to other clients and to notification listeners.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/list.h"

namespace cairn {

struct CommandContext;
class NewKeyEvents;

// "LEFT"/"RIGHT" in any case; false for anything else (Redis replies "ERR syntax error").
bool ParseListEnd(std::string_view word, ListEnd* end);

// Emits lpop/rpop (+ del if the key is gone) for `key`, after a pop that took something.
// Looks the key up (only when "del" events are wanted) to learn whether it is gone.
void NotifyPopped(CommandContext& context, std::string_view key, ListEnd end);
// The same when the caller knows (Lists::Pop's *remaining == 0) whether the pop deleted it.
void NotifyPopped(CommandContext& context, std::string_view key, ListEnd end, bool key_deleted);

// Emits the events of LMOVE after a move that took something, in Redis's order: "new" for a
// destination the move created (only when `created` is given and had destination Probe()d
// before the move), lpush/rpush on destination, lpop/rpop on source, "del" if source is gone.
void NotifyMoved(CommandContext& context, std::string_view source, std::string_view destination,
                 ListEnd from, ListEnd to, NewKeyEvents* created = nullptr);

// LMOVE's work once its arguments are parsed: moves one element, emits the events, records
// the access and replies with the element (bulk) or with the error. Returns false, having
// replied nothing, when source is missing — the blocking variant then blocks.
bool MoveAndReply(CommandContext& context, std::string_view source, std::string_view destination,
                  ListEnd from, ListEnd to);

// LMPOP/BLMPOP's "numkeys key [key ...] LEFT|RIGHT [COUNT count]".
struct MultiPopArguments {
  std::span<const std::string> keys;
  ListEnd end = ListEnd::kLeft;
  uint64_t count = 1;
};

// Parses args[numkeys_index...] exactly as Redis's lmpopGenericCommand does; on a bad
// argument replies with Redis's error and returns false.
bool ParseMultiPopArguments(CommandContext& context, size_t numkeys_index,
                            MultiPopArguments* parsed);

// How a served pop replies: BLPOP/BRPOP [key, element]; LMPOP/BLMPOP [key, [elements...]].
enum class PopReplyShape { kKeyAndElement, kKeyAndElements };

// Pops up to `count` elements from the first non-empty list among `keys` (in order), emits
// the events, records the access and replies in `shape`. A key of another type met before a
// non-empty list replies WRONGTYPE. Returns false, having replied nothing, when every key is
// missing — LMPOP then replies a null array, the blocking variants block.
bool PopFirstNonEmptyAndReply(CommandContext& context, std::span<const std::string> keys,
                              ListEnd end, uint64_t count, PopReplyShape shape);

}  // namespace cairn
