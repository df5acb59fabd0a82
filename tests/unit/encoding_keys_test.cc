// Tests for the key and value layouts: hash slots, meta/expire/sub keys and metadata.
#include <gtest/gtest.h>

#include "encoding/coding.h"
#include "encoding/expire_key.h"
#include "encoding/key_slot.h"
#include "encoding/meta_key.h"
#include "encoding/metadata.h"
#include "encoding/sub_key.h"

namespace cairn {
namespace {

TEST(KeySlotTest, KnownRedisValues) {
  EXPECT_EQ(KeyHashSlot("foo"), 12182);
  EXPECT_EQ(KeyHashSlot("bar"), 5061);
  EXPECT_EQ(KeyHashSlot("hello"), 866);
  EXPECT_EQ(KeyHashSlot(""), 0);
  EXPECT_EQ(Crc16("123456789"), 0x31C3);  // the XMODEM check value
}

TEST(KeySlotTest, HashtagRules) {
  EXPECT_EQ(KeyHashSlot("{user1000}.following"), KeyHashSlot("user1000"));
  EXPECT_EQ(KeyHashSlot("{user1000}.followers"), KeyHashSlot("user1000"));
  EXPECT_EQ(KeyHashSlot("foo{bar}{zap}"), KeyHashSlot("bar"));
  EXPECT_EQ(KeyHashSlot("foo{{bar}}zap"), KeyHashSlot("{bar"));
  // Empty tag, or no closing brace: the whole key is hashed.
  EXPECT_EQ(KeyHashSlot("foo{}{bar}"), Crc16("foo{}{bar}") % kNumSlots);
  EXPECT_EQ(KeyHashSlot("foo{bar"), Crc16("foo{bar") % kNumSlots);
  EXPECT_EQ(KeyHashSlot("}foo{bar}"), KeyHashSlot("bar"));
}

TEST(KeySlotTest, SlotOfKeysWithPrefix) {
  EXPECT_EQ(SlotOfKeysWithPrefix("{user1000}."), KeyHashSlot("user1000"));
  EXPECT_EQ(SlotOfKeysWithPrefix("x{tag}"), KeyHashSlot("tag"));
  EXPECT_FALSE(SlotOfKeysWithPrefix("user").has_value());
  EXPECT_FALSE(SlotOfKeysWithPrefix("{user").has_value());
  EXPECT_FALSE(SlotOfKeysWithPrefix("{}x").has_value());
  EXPECT_FALSE(SlotOfKeysWithPrefix("").has_value());
}

TEST(MetaKeyTest, RoundTripAndOrder) {
  std::string key = EncodeMetaKey(3, "foo");
  EXPECT_EQ(key.size(), 3 + 3u);
  EXPECT_EQ(key[0], 3);
  MetaKeyParts parts;
  ASSERT_TRUE(DecodeMetaKey(key, &parts));
  EXPECT_EQ(parts.db, 3);
  EXPECT_EQ(parts.slot, 12182);
  EXPECT_EQ(parts.user_key, "foo");
  EXPECT_TRUE(key.starts_with(MetaDbPrefix(3)));
  EXPECT_TRUE(key.starts_with(MetaSlotPrefix(3, 12182)));
  EXPECT_LT(EncodeMetaKey(1, 16383, "zzz"), EncodeMetaKey(2, 0, ""));
  EXPECT_LT(EncodeMetaKey(1, 255, "zzz"), EncodeMetaKey(1, 256, "a"));
  ASSERT_TRUE(DecodeMetaKey(EncodeMetaKey(0, ""), &parts));
  EXPECT_EQ(parts.user_key, "");
}

TEST(MetaKeyTest, Malformed) {
  MetaKeyParts parts;
  EXPECT_FALSE(DecodeMetaKey("ab", &parts));
  EXPECT_FALSE(DecodeMetaKey(std::string("\x00\xff\xff", 3), &parts));  // slot 65535
}

TEST(ExpireKeyTest, RoundTripAndDeadlineOrder) {
  std::string key = EncodeExpireKey(1700000000123ULL, 7, 42, "k");
  ExpireKeyParts parts;
  ASSERT_TRUE(DecodeExpireKey(key, &parts));
  EXPECT_EQ(parts.expire_ms, 1700000000123ULL);
  EXPECT_EQ(parts.db, 7);
  EXPECT_EQ(parts.slot, 42);
  EXPECT_EQ(parts.user_key, "k");
  EXPECT_LT(EncodeExpireKey(999, 9, 100, "zzz"), EncodeExpireKey(1000, 0, 0, "a"));
  EXPECT_LT(EncodeExpireKey(1000, 9, 100, "zzz"), ExpireKeyBound(1001));
  EXPECT_GE(EncodeExpireKey(1001, 0, 0, ""), ExpireKeyBound(1001));
  EXPECT_FALSE(DecodeExpireKey("short", &parts));
}

TEST(SubKeyTest, RoundTripAndPrefix) {
  std::string prefix = EncodeSubKeyPrefix(2, 99, "myhash", 123456789);
  std::string key = EncodeSubKey(2, 99, "myhash", 123456789, "field");
  EXPECT_TRUE(key.starts_with(prefix));
  SubKeyParts parts;
  ASSERT_TRUE(DecodeSubKey(key, &parts));
  EXPECT_EQ(parts.db, 2);
  EXPECT_EQ(parts.slot, 99);
  EXPECT_EQ(parts.user_key, "myhash");
  EXPECT_EQ(parts.version, 123456789u);
  EXPECT_EQ(parts.member_part, "field");
  // The length prefix keeps "ab" members apart from key "a" + member "b...".
  EXPECT_FALSE(EncodeSubKey(2, 99, "ab", 1, "").starts_with(EncodeSubKeyPrefix(2, 99, "a", 1)));
  // Versions order numerically within a key.
  EXPECT_LT(EncodeSubKey(0, 0, "k", 255, "z"), EncodeSubKey(0, 0, "k", 256, "a"));
  EXPECT_FALSE(DecodeSubKey(std::string("\x00\x00\x01\x05"
                                        "ab",
                                        6),
                            &parts));
}

TEST(MetadataTest, RoundTrip) {
  Metadata meta;
  meta.type = ValueType::kString;
  meta.flags = 0;
  meta.expire_ms = 1700000000000ULL;
  meta.version = 987654321;
  meta.size = 5;
  std::string encoded = EncodeMetadata(meta, "hello");
  Metadata decoded;
  std::string_view payload;
  ASSERT_TRUE(DecodeMetadata(encoded, &decoded, &payload));
  EXPECT_EQ(decoded.type, ValueType::kString);
  EXPECT_EQ(decoded.expire_ms, meta.expire_ms);
  EXPECT_EQ(decoded.version, meta.version);
  EXPECT_EQ(decoded.size, 5u);
  EXPECT_EQ(payload, "hello");
  uint64_t expire = 0;
  ASSERT_TRUE(DecodeMetadataExpire(encoded, &expire));
  EXPECT_EQ(expire, meta.expire_ms);

  Metadata hash;
  hash.type = ValueType::kHash;
  hash.size = 1000000;
  std::string encoded_hash = EncodeMetadata(hash, "hdr");
  ASSERT_TRUE(DecodeMetadata(encoded_hash, &decoded, &payload));
  EXPECT_EQ(decoded.type, ValueType::kHash);
  EXPECT_EQ(decoded.size, 1000000u);
  EXPECT_EQ(payload, "hdr");
  EXPECT_FALSE(decoded.HasExpire());
}

TEST(MetadataTest, ExpiryIsInclusiveOfTheDeadline) {
  Metadata meta;
  EXPECT_FALSE(meta.IsExpired(123));
  meta.expire_ms = 100;
  EXPECT_FALSE(meta.IsExpired(99));
  EXPECT_TRUE(meta.IsExpired(100));
}

TEST(MetadataTest, MalformedIsRejected) {
  Metadata meta;
  std::string_view payload;
  EXPECT_FALSE(DecodeMetadata("", &meta, &payload));
  EXPECT_FALSE(DecodeMetadata("short", &meta, &payload));
  Metadata good;
  good.size = 3;
  std::string encoded = EncodeMetadata(good, "abc");
  std::string bad_type = encoded;
  bad_type[0] = 42;
  EXPECT_FALSE(DecodeMetadata(bad_type, &meta, &payload));
  // A string whose size disagrees with its payload.
  EXPECT_FALSE(DecodeMetadata(encoded.substr(0, encoded.size() - 1), &meta, &payload));
  // Truncated varints.
  std::string truncated = encoded.substr(0, kMetadataFixedSize);
  truncated.push_back('\x80');
  EXPECT_FALSE(DecodeMetadata(truncated, &meta, &payload));
  // Every truncation of a valid value fails cleanly, never crashes.
  for (size_t n = 0; n < encoded.size(); n++) {
    EXPECT_FALSE(DecodeMetadata(encoded.substr(0, n), &meta, &payload)) << n;
  }
}

TEST(MetadataTest, TypeNames) {
  EXPECT_EQ(ValueTypeName(ValueType::kString), "string");
  EXPECT_EQ(ValueTypeName(ValueType::kHash), "hash");
  EXPECT_EQ(ValueTypeName(ValueType::kList), "list");
  EXPECT_EQ(ValueTypeName(ValueType::kSet), "set");
  EXPECT_EQ(ValueTypeName(ValueType::kZSet), "zset");
  EXPECT_EQ(ValueTypeName(ValueType::kStream), "stream");
  EXPECT_EQ(ValueTypeFromName("ZSET"), ValueType::kZSet);
  EXPECT_EQ(ValueTypeFromName("String"), ValueType::kString);
  EXPECT_FALSE(ValueTypeFromName("none").has_value());
}

}  // namespace
}  // namespace cairn
