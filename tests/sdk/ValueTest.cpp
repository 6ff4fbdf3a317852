#include "ekaci/sdk/Value.h"

#include <gtest/gtest.h>

namespace ekaci::sdk {

TEST(ValueTest, TablesKeepInsertionOrderAndReplace) {
  Value t = Value::table();
  t.set("b", Value::integer(1));
  t.set("a", Value::string("x"));
  t.set("b", Value::integer(2));
  EXPECT_EQ(t.keys(), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(t.find("b")->asInteger(), 2);
  EXPECT_TRUE(t.erase("b"));
  EXPECT_EQ(t.find("b"), nullptr);
  EXPECT_FALSE(t.erase("b"));
}

TEST(ValueTest, FindPathFollowsTables) {
  Value root = Value::table();
  Value web = Value::table();
  web.set("port", Value::integer(3030));
  root.set("web", web);
  ASSERT_NE(root.findPath("web.port"), nullptr);
  EXPECT_EQ(root.findPath("web.port")->asInteger(), 3030);
  EXPECT_EQ(root.findPath("web.nope"), nullptr);
  EXPECT_EQ(root.findPath("web.port.deeper"), nullptr);
}

TEST(ValueTest, AccessorsOfOtherKindsAreNeutral) {
  Value s = Value::string("x");
  EXPECT_EQ(s.asInteger(), 0);
  EXPECT_FALSE(s.asBool());
  EXPECT_TRUE(Value::integer(4).asString().empty());
  EXPECT_DOUBLE_EQ(Value::integer(4).asFloat(), 4.0);
}

TEST(ValueTest, ToStringIsDeterministicAndEscapes) {
  Value t = Value::table();
  t.set("s", Value::string("a\"b\n"));
  t.set("l", Value::stringList({"x", "y"}));
  t.set("f", Value::floating(2));
  t.set("n", Value());
  EXPECT_EQ(t.toString(), R"({"s": "a\"b\n", "l": ["x", "y"], "f": 2.0, "n": null})");
}

TEST(ValueTest, Equality) {
  EXPECT_EQ(Value::stringList({"a"}), Value::stringList({"a"}));
  EXPECT_FALSE(Value::stringList({"a"}) == Value::stringList({"b"}));
  EXPECT_FALSE(Value::integer(1) == Value::floating(1));
}

}  // namespace ekaci::sdk
