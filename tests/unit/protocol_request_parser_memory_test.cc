// What a client merely claims must not be allocated: a huge announced bulk or argument
// count costs memory only as bytes arrive. Allocation sizes are observed by replacing the
// global operator new for this test binary.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "src/protocol/request_parser.h"

namespace {
std::atomic<size_t> largest_allocation{0};
}  // namespace

void* operator new(std::size_t size) {
  size_t seen = largest_allocation.load(std::memory_order_relaxed);
  while (size > seen && !largest_allocation.compare_exchange_weak(seen, size)) {
  }
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
// Out of line, so the compiler does not pair an inlined free() with operator new and warn.
[[gnu::noinline]] void operator delete(void* memory) noexcept { std::free(memory); }
[[gnu::noinline]] void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }

namespace cairn {
namespace {

constexpr size_t kSmall = 256 * 1024;

TEST(RequestParserMemoryTest, ClaimedBulkIsNotAllocated) {
  RequestParser parser;
  size_t consumed = 0;
  std::vector<std::string> args;
  largest_allocation = 0;
  std::string head = "*2\r\n$3\r\nSET\r\n$524288000\r\n0123456789";
  EXPECT_EQ(parser.Parse(head, &consumed, &args), ParseResult::kNeedMore);
  EXPECT_EQ(consumed, head.size());
  EXPECT_EQ(parser.pending_bytes(), 13u);
  EXPECT_LT(largest_allocation.load(), kSmall);
}

TEST(RequestParserMemoryTest, ClaimedArgumentCountIsNotAllocated) {
  RequestParser parser;
  size_t consumed = 0;
  std::vector<std::string> args;
  largest_allocation = 0;
  EXPECT_EQ(parser.Parse("*2147483647\r\n$1\r\na\r\n$1\r\nb\r\n", &consumed, &args),
            ParseResult::kNeedMore);
  EXPECT_LT(largest_allocation.load(), kSmall);
}

TEST(RequestParserMemoryTest, GrowthFollowsArrivingBytes) {
  RequestParser parser;
  size_t consumed = 0;
  std::vector<std::string> args;
  EXPECT_EQ(parser.Parse("*1\r\n$100000000\r\n", &consumed, &args), ParseResult::kNeedMore);
  largest_allocation = 0;
  std::string piece(16 * 1024, 'x');
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(parser.Parse(piece, &consumed, &args), ParseResult::kNeedMore);
  }
  EXPECT_EQ(parser.pending_bytes(), 8 * piece.size());
  // At most twice what arrived, never the 100 MB announced.
  EXPECT_LE(largest_allocation.load(), 2 * 8 * piece.size());
}

}  // namespace
}  // namespace cairn
