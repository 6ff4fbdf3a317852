// The read buffer preloaded into the evaluator's nix processes (plugins/evaluators/nix/preload/):
// a probe program sees the same bytes and offsets with and without it, while the kernel's
// offset shows that one-byte reads of a file were served from a buffer.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::plugins::evaluators {
namespace {

std::string runProbe(const std::filesystem::path& file, std::map<std::string, std::string> environment) {
  environment["PATH"] = "/usr/bin:/bin";
  auto ran = testsupport::runCommand({EKACI_READ_BUFFER_PROBE, file.string()}, environment);
  EXPECT_EQ(ran.status, 0) << ran.err;
  return ran.out;
}

std::string withoutKernelOffsets(const std::string& transcript) {
  std::istringstream in(transcript);
  std::string kept;
  for (std::string line; std::getline(in, line);) {
    if (line.find("kernel offset after them") == std::string::npos) kept += line + "\n";
  }
  return kept;
}

TEST(NixReadBufferTest, OneByteReadsOfAFileAreBufferedAndEverythingElseIsUnchanged) {
  testsupport::TempDir dir;
  const auto file = dir.path() / "source.nix";
  {
    std::ofstream out(file);
    std::mt19937 random(7);
    for (int line = 0; line < 5000; ++line) out << "  attribute" << line << " = " << random() << ";\n";
  }
  const std::string plain = runProbe(file, {});
  const std::string buffered = runProbe(file, {{"LD_PRELOAD", EKACI_READ_BUFFER_LIBRARY}});

  EXPECT_NE(plain.find("kernel offset after them: 10\n"), std::string::npos) << plain;
  EXPECT_NE(buffered.find("kernel offset after them: 65536\n"), std::string::npos) << buffered;
  EXPECT_EQ(withoutKernelOffsets(plain), withoutKernelOffsets(buffered));
  // What the probe saw, so that the comparison above compares something.
  EXPECT_NE(plain.find("lseek(0, SEEK_CUR): 10\n"), std::string::npos) << plain;
  EXPECT_NE(plain.find("70000 one-byte reads (across a refill): 70000 bytes"), std::string::npos) << plain;
  EXPECT_NE(plain.find("lseek(0, SEEK_CUR): 70115\n"), std::string::npos) << plain;
  EXPECT_NE(plain.find("reopened descriptor is the same number: yes"), std::string::npos) << plain;
  EXPECT_NE(plain.find("one-byte reads of the other file: 11 bytes"), std::string::npos) << plain;
  EXPECT_NE(plain.find("kernel offset of the read-write file: 3\n"), std::string::npos) << plain;
  EXPECT_NE(plain.find("one-byte reads of a pipe: 4 bytes"), std::string::npos) << plain;
  // The buffer takes itself out of the environment of the program it is loaded into.
  EXPECT_NE(buffered.find("LD_PRELOAD seen by the program: (unset)"), std::string::npos) << buffered;
}

}  // namespace
}  // namespace ekaci::plugins::evaluators
