// Names from webhooks never change a URL's shape; limits never split a character.
#include "forgekit/UrlText.h"

#include <gtest/gtest.h>

namespace ekaci::forgekit {
namespace {

TEST(UrlTextTest, SegmentsEscapeEverythingButUnreservedCharacters) {
  EXPECT_EQ(UrlText::segment("nix/infra/pkgs"), "nix%2Finfra%2Fpkgs");
  EXPECT_EQ(UrlText::segment("../../admin?x=1#y"), "..%2F..%2Fadmin%3Fx%3D1%23y");
  EXPECT_EQ(UrlText::segment("a-b_c.d~e"), "a-b_c.d~e");
}

TEST(UrlTextTest, CutKeepsWholeCharactersAndTheMarker) {
  EXPECT_EQ(UrlText::cut("short", 10), "short");
  const std::string cut = UrlText::cut("aaaa\xC3\xA9\xC3\xA9\xC3\xA9", 8);  // 4 + three two-byte characters
  EXPECT_LE(cut.size(), 8u);
  EXPECT_EQ(cut.substr(cut.size() - 3), "\xE2\x80\xA6");  // ends with the marker "…"
  EXPECT_EQ(cut, "aaaa\xE2\x80\xA6");                     // the é at 4..5 would leave no room
}

}  // namespace
}  // namespace ekaci::forgekit
