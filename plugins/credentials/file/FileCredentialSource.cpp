#include "FileCredentialSource.h"

#include "credkit/PrivateFile.h"
#include "credkit/SecretsFileParser.h"

namespace ekaci::plugins::credentials {

sdk::Result<sdk::Credentials> FileCredentialSource::fetch() {
  auto text = PrivateFile::read(path_, kMaxBytes);
  if (!text) return std::move(text).error();
  auto parsed = SecretsFileParser::parse(std::string(text->reveal()));
  if (!parsed) return sdk::Error(parsed.error().code(), parsed.error().message() + " (" + path_.string() + ")");
  return parsed;
}

}  // namespace ekaci::plugins::credentials
