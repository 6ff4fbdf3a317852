#include "kernel/nix/MachinesFile.h"

#include <gtest/gtest.h>

namespace ekaci::nix {
namespace {

TEST(MachinesFileTest, ReadsEveryField) {
  auto parsed = MachinesFile::parse(
      "# builders\n"
      "ssh-ng://builder@10.0.0.5 x86_64-linux,i686-linux /root/.ssh/id_builder 8 3 kvm,big-parallel benchmark "
      "AAAAC3Nz\n",
      "machines");
  ASSERT_TRUE(parsed) << parsed.error().describe();
  ASSERT_EQ(parsed->size(), 1u);
  const auto& b = parsed->front();
  EXPECT_EQ(b.uri, "ssh-ng://builder@10.0.0.5");
  EXPECT_EQ(b.kind, BuilderKind::Remote);
  EXPECT_EQ(b.systems, (std::vector<std::string>{"x86_64-linux", "i686-linux"}));
  EXPECT_EQ(b.sshKey, "/root/.ssh/id_builder");
  EXPECT_EQ(b.maxJobs, 8u);
  EXPECT_EQ(b.speedFactor, 3);
  EXPECT_EQ(b.supportedFeatures, (std::vector<std::string>{"kvm", "big-parallel"}));
  EXPECT_EQ(b.mandatoryFeatures, (std::vector<std::string>{"benchmark"}));
  EXPECT_EQ(b.publicHostKey, "AAAAC3Nz");
  EXPECT_EQ(b.machinesLine(),
            "ssh-ng://builder@10.0.0.5 x86_64-linux,i686-linux /root/.ssh/id_builder 8 3 kvm,big-parallel benchmark "
            "AAAAC3Nz");
}

TEST(MachinesFileTest, MissingFieldsAndDashesTakeDefaultsAndBareHostsAreSsh) {
  auto parsed = MachinesFile::parse("builder1 aarch64-linux\n\n   \nbuilder2 x86_64-linux - - 2 # fast\n", "m");
  ASSERT_TRUE(parsed) << parsed.error().describe();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].uri, "ssh://builder1");
  EXPECT_EQ((*parsed)[0].maxJobs, 1u);
  EXPECT_EQ((*parsed)[0].speedFactor, 1);
  EXPECT_TRUE((*parsed)[0].sshKey.empty());
  EXPECT_EQ((*parsed)[1].speedFactor, 2);
  EXPECT_EQ((*parsed)[1].machinesLine(), "ssh://builder2 x86_64-linux - 1 2 - - -");
}

TEST(MachinesFileTest, BadLinesNameFileAndLine) {
  auto zero = MachinesFile::parse("ok x86_64-linux\nbad x86_64-linux - 0\n", "/etc/nix/machines");
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code(), sdk::ErrorCode::ConfigInvalidValue);
  EXPECT_NE(zero.error().message().find("/etc/nix/machines:2"), std::string::npos) << zero.error().message();
  EXPECT_NE(zero.error().message().find("max jobs"), std::string::npos);
  EXPECT_FALSE(MachinesFile::parse("host - - 1 x\n", "m"));  // no systems, bad speed
  EXPECT_FALSE(MachinesFile::parse("host x86_64-linux - 1 1 - - - extra\n", "m"));
  EXPECT_FALSE(MachinesFile::parse("host x86_64-linux - 2x\n", "m"));
  EXPECT_FALSE(MachinesFile::read("/nonexistent/machines"));
}

}  // namespace
}  // namespace ekaci::nix
