// The replies of COMMAND and its subcommands, in Redis 7.0's exact shapes for RESP2 and
// RESP3. They need only the table and the request, so they are tested without a server;
// src/commands/command.cc binds them to the command names.
#pragma once

#include <span>
#include <string>

#include "src/command_table/command_table.h"

namespace cairn {

class ReplyBuilder;

// addReplyCommandInfo: name, arity, flags, first/last/step, ACL categories, tips, key
// specs, subcommands. A null spec replies null (an unknown name in COMMAND INFO).
void ReplyCommandInfo(const CommandSpec* spec, ReplyBuilder* reply);
// addReplyCommandDocs: the map of one command's documentation (without its name).
void ReplyCommandDocs(const CommandSpec& spec, ReplyBuilder* reply);

// Each takes the whole request: args[0] is "COMMAND", args[1] the subcommand (if any).
// COMMAND, and COMMAND INFO without names: the info of every top-level command.
void CommandInfoReply(const CommandTable& table, std::span<const std::string> args,
                      ReplyBuilder* reply);
void CommandDocsReply(const CommandTable& table, std::span<const std::string> args,
                      ReplyBuilder* reply);
// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]
void CommandListReply(const CommandTable& table, std::span<const std::string> args,
                      ReplyBuilder* reply);
// COMMAND GETKEYS / GETKEYSANDFLAGS <full command>
void CommandGetKeysReply(const CommandTable& table, std::span<const std::string> args,
                         bool with_flags, ReplyBuilder* reply);

}  // namespace cairn
