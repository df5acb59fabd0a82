// LCS, the longest common subsequence of two strings: the handler string.cc registers.
#pragma once

namespace cairn {

struct CommandContext;

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], with Redis 7.0's replies.
void LcsCommand(CommandContext& context);

}  // namespace cairn
