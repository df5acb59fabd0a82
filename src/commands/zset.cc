// sorted_set group command handlers.
#include "src/command.h"
#include "src/commands/all_commands.h"

namespace cairn {

void RegisterZSetCommands(CommandRegistry& /*registry*/) {}

}  // namespace cairn
