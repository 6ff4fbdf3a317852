#pragma once

#include <string>

#include "ekaci/sdk/Credentials.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::plugins::credentials {

// Parses a secrets file in either documented format:
//   JSON:       {"GITHUB_APP_ID": "123456", "GITHUB_APP_PRIVATE_KEY": "-----BEGIN ...\n..."}
//   KEY=value:  one entry per line; `export ` prefixes and matching quotes are removed;
//               '#' lines and blank lines are skipped; a line that does not start a new
//               KEY= continues the previous value (a PEM key spans many lines).
// Errors (SecretParse) give the line number and the key, never a value.
class SecretsFileParser {
 public:
  static sdk::Result<sdk::Credentials> parse(const std::string& text);
};

}  // namespace ekaci::plugins::credentials
