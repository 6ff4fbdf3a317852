#include "kernel/config/TomlReader.h"

#include <gtest/gtest.h>

namespace ekaci::config {

TEST(TomlReaderTest, KeepsWrittenOrderAndLocations) {
  auto root = TomlReader::parse("zeta = 1\nalpha = \"x\"\n[web]\nport = 3030\n", "f.toml");
  ASSERT_TRUE(root) << root.error().describe();
  EXPECT_EQ(root->keys(), (std::vector<std::string>{"zeta", "alpha", "web"}));
  const sdk::Value* port = root->findPath("web.port");
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->asInteger(), 3030);
  EXPECT_EQ(port->location().describe(), "f.toml:4:1");
}

TEST(TomlReaderTest, AcceptsMultiLineInlineTablesFromTheManual) {
  auto root = TomlReader::parse(
      "credentials = { vault = {\n    address = \"https://v:8200\",\n    secret_path = \"p\"\n} }\n", "f.toml");
  ASSERT_TRUE(root) << root.error().describe();
  EXPECT_EQ(root->findPath("credentials.vault.address")->asString(), "https://v:8200");
}

TEST(TomlReaderTest, ConvertsEveryScalarKind) {
  auto root = TomlReader::parse("b = true\ni = -4\nf = 2.5\ns = 'x'\na = [1, 2]\nd = 1979-05-27\n", "f.toml");
  ASSERT_TRUE(root);
  EXPECT_TRUE(root->find("b")->asBool());
  EXPECT_EQ(root->find("i")->asInteger(), -4);
  EXPECT_DOUBLE_EQ(root->find("f")->asFloat(), 2.5);
  EXPECT_EQ(root->find("s")->asString(), "x");
  EXPECT_EQ(root->find("a")->items().size(), 2u);
  EXPECT_EQ(root->find("d")->asString(), "1979-05-27");
}

TEST(TomlReaderTest, SyntaxErrorsCarryPosition) {
  auto root = TomlReader::parse("a = 1\nb = [1,\n", "broken.toml");
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().code(), sdk::ErrorCode::ConfigParse);
  EXPECT_NE(root.error().message().find("broken.toml:"), std::string::npos) << root.error().message();
}

TEST(TomlReaderTest, NonAsciiWhereWhitespaceMayBeIsAnErrorNotUndefinedBehaviour) {
  // Found by fuzzing: toml++ 3.3 reached __builtin_unreachable() classifying U+043A (and
  // other code points) as whitespace. Under UBSan this test would abort without the fix.
  for (const char* text : {"a = 1\xD0\xBA\n", "a = \"x\"\xE2\xB4\x80\n", "[web]\xD0\xBA\nport = 1\n"}) {
    auto root = TomlReader::parse(text, "f.toml");
    ASSERT_FALSE(root) << text;
    EXPECT_EQ(root.error().code(), sdk::ErrorCode::ConfigParse);
  }
  auto ok = TomlReader::parse("# комментарий\nname = \"значение\"\n", "f.toml");
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(ok->find("name")->asString(), "значение");
}

TEST(TomlReaderTest, ControlCharactersAreRefusedWithTheirPosition) {
  // Found by fuzzing: NUL bytes in a table header tripped an assertion inside toml++.
  auto nul = TomlReader::parse(std::string("a = 1\n[\x10\0\0x]\n", 13), "f.toml");
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().code(), sdk::ErrorCode::ConfigParse);
  EXPECT_NE(nul.error().message().find("f.toml:2:2: control character U+0010"), std::string::npos) << nul.error().message();
  EXPECT_FALSE(TomlReader::parse("a = \"x\x7fy\"\n", "f.toml"));
  EXPECT_TRUE(TomlReader::parse("a = \"tab\there\"\r\n", "f.toml"));
}

TEST(TomlReaderTest, InputsThatBreakTheParsersOwnChecksAreSyntaxErrors) {
  // Found by fuzzing: "[[[" made toml++ 3.3 violate its own precondition (an assertion, or
  // undefined behaviour in release builds).
  auto triple = TomlReader::parse("[[[github_apps]]\nid = \"x\"\n", "f.toml");
  ASSERT_FALSE(triple);
  EXPECT_EQ(triple.error().code(), sdk::ErrorCode::ConfigParse);
  EXPECT_NE(triple.error().message().find("f.toml"), std::string::npos) << triple.error().message();
}

TEST(TomlReaderTest, DuplicateKeysAreSyntaxErrors) {
  EXPECT_FALSE(TomlReader::parse("a = 1\na = 2\n", "f.toml"));
}

}  // namespace ekaci::config
