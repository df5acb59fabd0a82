// Argument parsing shared by the command handlers: integers and doubles with Redis's exact
// rules, case-insensitive keywords, and the standard error texts.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "encoding/number_text.h"

namespace cairn {

class ReplyBuilder;
class Status;

inline constexpr char kErrNotInteger[] = "ERR value is not an integer or out of range";
inline constexpr char kErrNotFloat[] = "ERR value is not a valid float";
inline constexpr char kErrSyntax[] = "ERR syntax error";
inline constexpr char kErrWrongType[] =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr char kErrNoSuchKey[] = "ERR no such key";
inline constexpr char kErrDbIndex[] = "ERR DB index is out of range";

// ParseInt64 (string2ll) and ParseLongDouble (string2ld) come from encoding/number_text.h.
// Redis's getDoubleFromObject: strtod, no spaces, not NaN; "inf"/"-inf" accepted.
bool ParseDouble(std::string_view text, double* value);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view text);

struct CommandContext;
// Keyspace hits/misses for INFO stats, the access record for OBJECT IDLETIME/FREQ and the
// "keymiss" keyspace event: call once per key a read command looks up.
void CountLookup(CommandContext& context, std::string_view key, bool found);

// Replies with the Redis error that matches an engine status (WRONGTYPE, not an integer,
// overflow, I/O errors, ...). Returns false if status was OK (nothing written).
bool ReplyIfError(const Status& status, ReplyBuilder* reply);

// Redis's addReplyHelp: "<COMMAND> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
// then lines, then the HELP entry, each as a simple string.
void ReplyHelp(ReplyBuilder* reply, std::string_view command,
               std::initializer_list<const char*> lines);

// Redis's addReplySubcommandSyntaxError: "ERR unknown subcommand or wrong number of arguments
// for '<args[1]>'. Try <ARGS[0]> HELP."
void ReplySubcommandSyntaxError(CommandContext& context);

}  // namespace cairn
