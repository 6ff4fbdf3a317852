// AWS Signature Version 4 against the signatures AWS publishes: the get-vanilla and
// get-vanilla-query-order-key-case cases of the SigV4 test suite, and the S3 GET Object
// example of the S3 API reference (header-based authentication).
#include "plugins/credentials/credkit/AwsSigV4.h"

#include <gtest/gtest.h>

namespace ekaci::plugins::credentials {
namespace {

const AwsSigV4::Key kSuiteKey{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service"};

AwsSigV4::Request vanilla(std::string query = "") {
  AwsSigV4::Request r;
  r.method = "GET";
  r.path = "/";
  r.query = std::move(query);
  r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  return r;
}

}  // namespace

TEST(AwsSigV4Test, GetVanilla) {
  EXPECT_EQ(AwsSigV4::canonicalRequest(vanilla()),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(AwsSigV4::sha256Hex(AwsSigV4::canonicalRequest(vanilla())),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(AwsSigV4::authorization(vanilla(), kSuiteKey, "20150830T123600Z"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(AwsSigV4Test, GetVanillaQueryOrderKeyCase) {
  EXPECT_EQ(AwsSigV4::canonicalQuery("Param2=value2&Param1=value1"), "Param1=value1&Param2=value2");
  const auto header = AwsSigV4::authorization(vanilla("Param2=value2&Param1=value1"), kSuiteKey, "20150830T123600Z");
  EXPECT_EQ(header.substr(header.find("Signature=") + 10),
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(AwsSigV4Test, S3GetObjectExample) {
  AwsSigV4::Request r;
  r.method = "GET";
  r.path = "/test.txt";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
               {"Range", "bytes=0-9"},
               {"x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
               {"x-amz-date", "20130524T000000Z"}};
  EXPECT_EQ(AwsSigV4::sha256Hex(AwsSigV4::canonicalRequest(r)),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  const auto header = AwsSigV4::authorization(
      r, {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3"}, "20130524T000000Z");
  EXPECT_EQ(header,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(AwsSigV4Test, AmzDateIsUtc) {
  EXPECT_EQ(AwsSigV4::amzDate(std::chrono::system_clock::time_point(std::chrono::seconds(1440938160))),
            "20150830T123600Z");
}

}  // namespace ekaci::plugins::credentials
