// Text a pull request controls, made valid UTF-8 and visible.
#include "ekaci/sdk/UntrustedText.h"

#include <gtest/gtest.h>

#include <vector>

namespace ekaci::sdk {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(UntrustedTextTest, ValidTextIsUnchanged) {
  for (const std::string& text : std::vector<std::string>{"", "plain ascii",
                                                         "gr\xC3\xBC\xC3\x9F" "e \xE2\x86\x92 \xF0\x9F\x98\x80",
                                                         std::string("nul\0inside", 10)}) {
    EXPECT_EQ(UntrustedText::validUtf8(text), text);
  }
}

TEST(UntrustedTextTest, EveryIllFormedByteBecomesAReplacementCharacter) {
  EXPECT_EQ(UntrustedText::validUtf8("a\xFF" "b"), "a" + kReplacement + "b");
  EXPECT_EQ(UntrustedText::validUtf8("\xC0\xAF"), kReplacement + kReplacement);             // overlong '/'
  EXPECT_EQ(UntrustedText::validUtf8("\xED\xA0\x80"), kReplacement + kReplacement + kReplacement);  // surrogate
  EXPECT_EQ(UntrustedText::validUtf8("\xF4\x90\x80\x80").size(), 4 * kReplacement.size());  // past U+10FFFF
  EXPECT_EQ(UntrustedText::validUtf8("cut \xE2\x86"), "cut " + kReplacement + kReplacement);  // truncated
  EXPECT_EQ(UntrustedText::validUtf8("\x80" "x"), kReplacement + "x");                      // lone continuation
}

TEST(UntrustedTextTest, InvisibleControlsAreWrittenVisibly) {
  // "Trojan source": a right-to-left override that reorders what a reviewer reads.
  EXPECT_EQ(UntrustedText::visible("safe\xE2\x80\xAE" "txt.exe"), "safe<U+202E>txt.exe");
  EXPECT_EQ(UntrustedText::visible("a\xE2\x81\xA6" "b\xE2\x81\xA9"), "a<U+2066>b<U+2069>");
  EXPECT_EQ(UntrustedText::visible("zero\xE2\x80\x8Bwidth\xEF\xBB\xBF"), "zero<U+200B>width<U+FEFF>");
  EXPECT_EQ(UntrustedText::visible("line\xE2\x80\xA8sep"), "line<U+2028>sep");
  EXPECT_EQ(UntrustedText::visible("caf\xC3\xA9 \xE2\x86\x92"), "caf\xC3\xA9 \xE2\x86\x92");
  EXPECT_EQ(UntrustedText::visible("bad\xFF"), "bad" + kReplacement);
}

}  // namespace
}  // namespace ekaci::sdk
