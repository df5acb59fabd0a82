// Finding the keys in a command's arguments, exactly as Redis 7.0 does: from the key specs
// (getKeysUsingKeySpecs), with the per-command argument parsers Redis falls back to when
// the specs cannot say everything (getKeysFromCommandWithSpecs). Drives key locking,
// COMMAND GETKEYS and GETKEYSANDFLAGS.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "src/command_table/command_spec.h"

namespace cairn {

struct KeySearch {
  bool include_not_keys = false;  // also return specs flagged NOT_KEY (SPUBLISH's channel)
  bool return_partial = false;    // skip a spec that cannot be resolved instead of failing
};

// getKeysUsingKeySpecs: appends the keys every spec finds in args (args[0] is the command
// name). A spec cannot be resolved when it is of unknown type, its key count is missing or
// not a non-negative integer, its range falls outside args, or it is INCOMPLETE; then,
// unless search.return_partial, *keys is cleared and false returned.
bool GetKeysUsingKeySpecs(const CommandSpec& spec, std::span<const std::string> args,
                          KeySearch search, std::vector<KeyReference>* keys);

// getKeysFromCommandWithSpecs: the key specs when they are complete and their flags
// reliable, else the command's native parser. *keys is left empty when args name no valid
// keys (a malformed key count, MIGRATE KEYS with a non-empty key, ...).
void GetCommandKeys(const CommandSpec& spec, std::span<const std::string> args,
                    std::vector<KeyReference>* keys);

// doesCommandHaveKeys: a native parser, or a key spec not flagged NOT_KEY.
bool CommandHasKeys(const CommandSpec& spec);

// The native parser (getkeys_proc) Redis 7.0 gives the command of this full name; nullptr
// for the commands that have none.
NativeKeysProc NativeKeysProcFor(std::string_view full_name);

}  // namespace cairn
