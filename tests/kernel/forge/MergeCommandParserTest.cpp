// The comment-command grammar, as the manual describes it.
#include "kernel/forge/MergeCommandParser.h"

#include <gtest/gtest.h>

namespace ekaci::forge {
namespace {

std::optional<MergeCommand> parse(const std::string& text) {
  return MergeCommandParser::parse(text, "eka-ci");
}

TEST(MergeCommandParserTest, TheMethodsAndCancel) {
  ASSERT_TRUE(parse("@eka-ci merge"));
  EXPECT_FALSE(parse("@eka-ci merge")->method);
  EXPECT_FALSE(parse("@eka-ci merge")->cancel);
  EXPECT_EQ(parse("@eka-ci merge merge")->method, sdk::MergeMethod::Merge);
  EXPECT_EQ(parse("@eka-ci merge squash")->method, sdk::MergeMethod::Squash);
  EXPECT_EQ(parse("@eka-ci merge rebase")->method, sdk::MergeMethod::Rebase);
  EXPECT_TRUE(parse("@eka-ci merge cancel")->cancel);
}

TEST(MergeCommandParserTest, CaseDoesNotMatterAndWhitespaceIsAnyBlank) {
  EXPECT_EQ(parse("  @EKA-CI\tMERGE   Squash\r")->method, sdk::MergeMethod::Squash);
  EXPECT_TRUE(parse("@Eka-CI merge CANCEL")->cancel);
}

TEST(MergeCommandParserTest, TyposFallBackToABareMergeAndTrailingWordsAreIgnored) {
  auto typo = parse("@eka-ci merge squashh");
  ASSERT_TRUE(typo);
  EXPECT_FALSE(typo->method);
  EXPECT_FALSE(typo->cancel);
  EXPECT_EQ(parse("@eka-ci merge squash please thanks")->method, sdk::MergeMethod::Squash);
}

TEST(MergeCommandParserTest, OnlyTheFirstTokenOfALineIsAMention) {
  EXPECT_FALSE(parse("cc @eka-ci merge please"));
  EXPECT_FALSE(parse("please @eka-ci merge"));
  EXPECT_FALSE(parse("`@eka-ci merge`"));
  EXPECT_FALSE(parse("@eka-cimerge"));
  EXPECT_FALSE(parse("@eka-ci-bot merge"));
  EXPECT_FALSE(parse("eka-ci merge"));
  EXPECT_FALSE(parse("@eka-ci"));
  EXPECT_FALSE(parse(""));
}

TEST(MergeCommandParserTest, OtherVerbsAreNotCommandsAndTheFirstCommandLineWins) {
  EXPECT_FALSE(parse("@eka-ci rebuild"));
  EXPECT_FALSE(parse("@eka-ci retry\n"));
  auto first = parse("LGTM after the last round.\n@eka-ci rebuild\n@eka-ci merge rebase\n@eka-ci merge cancel\n");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->method, sdk::MergeMethod::Rebase);
  EXPECT_FALSE(first->cancel);
}

TEST(MergeCommandParserTest, TheMentionIsConfigurable) {
  EXPECT_TRUE(MergeCommandParser::parse("@my-ci merge", "my-ci"));
  EXPECT_TRUE(MergeCommandParser::parse("@my-ci merge", "@my-ci"));
  EXPECT_FALSE(MergeCommandParser::parse("@eka-ci merge", "my-ci"));
  EXPECT_FALSE(MergeCommandParser::parse("@ merge", ""));
}

TEST(MergeCommandParserTest, LongCommentsAreReadOnce) {
  std::string prose(1 << 20, 'x');
  prose += "\n@eka-ci merge squash\n";
  EXPECT_EQ(parse(prose)->method, sdk::MergeMethod::Squash);
}

}  // namespace
}  // namespace ekaci::forge
