// PeekCommand: a look at the next whole multibulk command in a client's unparsed input,
// without parsing it (no copies, no parser state), so the worker can start the memory reads
// a pipelined command will need while the commands before it run.
#pragma once

#include <cstddef>
#include <string_view>

namespace cairn {

struct PeekedCommand {
  size_t bytes = 0;  // the whole command's length in the input
  size_t argument_count = 0;
  // The argument after the command name, where most commands keep their first key; empty
  // when there is none.
  std::string_view first_argument;
};

// Commands with more arguments than this are not looked into: a peek stays cheap even when
// repeated for every command before a huge one.
inline constexpr size_t kMaxPeekedArguments = 64;

// True when input starts with one complete, well-formed multibulk command of 1 to
// kMaxPeekedArguments arguments. Anything else (inline commands, partial or malformed
// input) is false and left to RequestParser.
bool PeekCommand(std::string_view input, PeekedCommand* out);

}  // namespace cairn
