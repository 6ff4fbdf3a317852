#include "ekaci/sdk/Secret.h"

#include <gtest/gtest.h>

#include <new>
#include <sstream>
#include <type_traits>

#include "ekaci/sdk/Credentials.h"

namespace ekaci::sdk {

static_assert(!std::is_copy_constructible_v<Secret>, "secrets must not be copied by accident");
static_assert(!std::is_copy_assignable_v<Secret>, "secrets must not be copied by accident");
static_assert(std::is_nothrow_move_constructible_v<Secret>);
static_assert(!std::is_copy_constructible_v<Credentials>);

TEST(SecretTest, FormatsAsRedacted) {
  Secret secret("hunter2-very-secret");
  std::ostringstream out;
  out << secret;
  EXPECT_EQ(out.str(), "<redacted>");
  EXPECT_EQ(secret.reveal(), "hunter2-very-secret");
}

TEST(SecretTest, MoveLeavesSourceEmpty) {
  Secret a("token");
  Secret b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state is the point
  EXPECT_EQ(b.reveal(), "token");
  Secret c;
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.reveal(), "token");
}

TEST(SecretTest, ZeroesItsBufferOnDestruction) {
  // Placement-construct into our own storage, destroy, then inspect the short-string buffer.
  alignas(Secret) unsigned char storage[sizeof(Secret)];
  auto* secret = new (storage) Secret("abcdefgh");  // short enough to live inside the object
  const char* data = secret->reveal().data();
  const auto offset = static_cast<std::size_t>(data - reinterpret_cast<const char*>(storage));
  ASSERT_LT(offset, sizeof(Secret)) << "expected the small-string buffer inside the object";
  secret->~Secret();
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(storage[offset + i], 0) << "byte " << i;
}

TEST(SecretTest, EqualsComparesWholeValue) {
  Secret secret("abc");
  EXPECT_TRUE(secret.equals("abc"));
  EXPECT_FALSE(secret.equals("abd"));
  EXPECT_FALSE(secret.equals("ab"));
  EXPECT_FALSE(secret.equals("abcd"));
}

TEST(CredentialsTest, SetFindAndReplace) {
  Credentials credentials;
  credentials.set("A", Secret("1"));
  credentials.set("B", Secret("2"));
  credentials.set("A", Secret("3"));
  ASSERT_NE(credentials.find("A"), nullptr);
  EXPECT_EQ(credentials.find("A")->reveal(), "3");
  EXPECT_EQ(credentials.names(), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(credentials.find("C"), nullptr);
}

}  // namespace ekaci::sdk
