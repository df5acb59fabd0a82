// COMMAND and its subcommands: COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, HELP. The
// replies themselves live in src/command_table/command_reply.cc.
#include "src/command.h"

#include "src/command_table/ascii.h"
#include "src/command_table/command_reply.h"
#include "src/command_table/command_table.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

const CommandTable& Table(const CommandContext& context) { return context.server->command_table(); }

// COMMAND without a subcommand and COMMAND INFO without names reply the same.
void CommandInfo(CommandContext& context) {
  CommandInfoReply(Table(context), context.args, context.reply);
}

void CommandCount(CommandContext& context) {
  context.reply->Integer(static_cast<int64_t>(Table(context).size()));
}

void CommandDocs(CommandContext& context) {
  CommandDocsReply(Table(context), context.args, context.reply);
}

void CommandList(CommandContext& context) {
  CommandListReply(Table(context), context.args, context.reply);
}

void CommandGetKeys(CommandContext& context) {
  CommandGetKeysReply(Table(context), context.args, false, context.reply);
}

void CommandGetKeysAndFlags(CommandContext& context) {
  CommandGetKeysReply(Table(context), context.args, true, context.reply);
}

void CommandHelp(CommandContext& context) {
  ReplyHelp(context.reply, AsciiUppered(context.args[0]),
            {
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.",
            });
}

}  // namespace

void RegisterCommandCommands(CommandRegistry& registry) {
  registry.Add("COMMAND", CommandInfo);
  registry.Add("COMMAND COUNT", CommandCount);
  registry.Add("COMMAND INFO", CommandInfo);
  registry.Add("COMMAND DOCS", CommandDocs);
  registry.Add("COMMAND LIST", CommandList);
  registry.Add("COMMAND GETKEYS", CommandGetKeys);
  registry.Add("COMMAND GETKEYSANDFLAGS", CommandGetKeysAndFlags);
  registry.Add("COMMAND HELP", CommandHelp);
}

}  // namespace cairn
