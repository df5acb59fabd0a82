// CONFIG group: GET, SET, RESETSTAT, REWRITE, HELP. The work is done by Config
// (src/config/config.h); these handlers only shape arguments and replies.
#include "src/config/config.h"

#include <string>
#include <utility>
#include <vector>

#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

void ConfigGet(CommandContext& context) {
  std::vector<std::string> patterns(context.args.begin() + 2, context.args.end());
  std::vector<std::pair<std::string, std::string>> matches = context.server->config().Get(patterns);
  context.reply->MapHeader(matches.size());
  for (const auto& [name, value] : matches) {
    context.reply->Bulk(name);
    context.reply->Bulk(value);
  }
}

void ConfigSet(CommandContext& context) {
  const std::vector<std::string>& args = context.args;
  if (args.size() % 2 != 0) {  // the dispatcher checked arity; pairs must be complete
    context.reply->Error(kErrSyntax);
    return;
  }
  std::vector<std::pair<std::string, std::string>> changes;
  for (size_t i = 2; i + 1 < args.size(); i += 2) changes.emplace_back(args[i], args[i + 1]);
  std::string error;
  if (context.server->config().Set(changes, &error)) {
    context.reply->Ok();
  } else {
    context.reply->Error(error);
  }
}

void ConfigResetStat(CommandContext& context) {
  context.server->ResetStats();
  context.reply->Ok();
}

void ConfigRewrite(CommandContext& context) {
  std::string error;
  if (context.server->config().Rewrite(&error)) {
    context.reply->Ok();
  } else {
    context.reply->Error(error);
  }
}

void ConfigHelp(CommandContext& context) {
  ReplyHelp(
      context.reply, "CONFIG",
      {"GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
       "SET <directive> <value>", "    Set the configuration <directive> to <value>.", "RESETSTAT",
       "    Reset statistics reported by the INFO command.", "REWRITE",
       "    Rewrite the configuration file."});
}

}  // namespace

void RegisterConfigCommands(CommandRegistry& registry) {
  registry.Add("CONFIG GET", &ConfigGet);
  registry.Add("CONFIG SET", &ConfigSet);
  registry.Add("CONFIG RESETSTAT", &ConfigResetStat);
  registry.Add("CONFIG REWRITE", &ConfigRewrite);
  registry.Add("CONFIG HELP", &ConfigHelp);
}

}  // namespace cairn
