#include "plugins/credentials/credkit/SecretsFileParser.h"

#include <gtest/gtest.h>

namespace ekaci::plugins::credentials {

TEST(SecretsFileParserTest, ParsesTheDocumentedJsonFormat) {
  auto parsed = SecretsFileParser::parse(
      R"({"GITHUB_APP_ID": "123456", "GITHUB_APP_PRIVATE_KEY": "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"})");
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->find("GITHUB_APP_ID")->reveal(), "123456");
  EXPECT_EQ(parsed->find("GITHUB_APP_PRIVATE_KEY")->reveal(),
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n");
}

TEST(SecretsFileParserTest, ParsesKeyValueWithAMultiLinePemKey) {
  // The manual's key=value example: the PEM key continues over several lines; base64 lines
  // that happen to look like KEY=value stay part of the key.
  const std::string text =
      "# GitHub App\n"
      "GITHUB_APP_ID=123456\n"
      "GITHUB_APP_PRIVATE_KEY=-----BEGIN RSA PRIVATE KEY-----\n"
      "MIIEpAIBAAKCAQEA1234567890abcdef\n"
      "QUJDREVGR0g=\n"
      "-----END RSA PRIVATE KEY-----\n"
      "\n"
      "export OTHER='quoted value'\n";
  auto parsed = SecretsFileParser::parse(text);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->find("GITHUB_APP_ID")->reveal(), "123456");
  EXPECT_EQ(parsed->find("GITHUB_APP_PRIVATE_KEY")->reveal(),
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1234567890abcdef\nQUJDREVGR0g=\n"
            "-----END RSA PRIVATE KEY-----");
  EXPECT_EQ(parsed->find("OTHER")->reveal(), "quoted value");
  EXPECT_EQ(parsed->find("QUJDREVGR0g"), nullptr);
}

TEST(SecretsFileParserTest, ErrorsNameTheLineNotTheValue) {
  auto parsed = SecretsFileParser::parse("just some text with a s3cr3t\n");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code(), sdk::ErrorCode::SecretParse);
  EXPECT_NE(parsed.error().message().find("line 1"), std::string::npos);
  EXPECT_EQ(parsed.error().message().find("s3cr3t"), std::string::npos);
  EXPECT_FALSE(SecretsFileParser::parse("{\"A\": ["));
  EXPECT_FALSE(SecretsFileParser::parse(R"({"A": {"nested": 1}})"));
  EXPECT_FALSE(SecretsFileParser::parse(""));
  EXPECT_FALSE(SecretsFileParser::parse("{}"));
  // Found by fuzzing: an entry with an empty name was accepted.
  auto empty = SecretsFileParser::parse(R"({"GITHUB_APP_ID": "1", "": "070618"})");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message().find("empty name"), std::string::npos);
}

TEST(SecretsFileParserTest, ErrorsQuoteKeyNamesShortAndPrintable) {
  // Found by fuzzing: a long key with control bytes was copied whole into the error message.
  const std::string key = "llll" + std::string(150, '\x7f') + "lllI";
  auto parsed = SecretsFileParser::parse("{\"" + key + "\": {}}");
  ASSERT_FALSE(parsed);
  const std::string& message = parsed.error().message();
  EXPECT_LT(message.size(), 120u);
  EXPECT_EQ(message.find('\x7f'), std::string::npos);
  EXPECT_NE(message.find("'llll???"), std::string::npos) << message;
  EXPECT_NE(message.find("...' must be a string"), std::string::npos) << message;
}

}  // namespace ekaci::plugins::credentials
