// hash group command handlers.
#include "src/command.h"
#include "src/commands/all_commands.h"

namespace cairn {

void RegisterHashCommands(CommandRegistry& /*registry*/) {}

}  // namespace cairn
