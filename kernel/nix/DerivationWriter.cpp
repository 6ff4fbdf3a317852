#include "kernel/nix/DerivationWriter.h"

namespace ekaci::nix {
namespace {

void string(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('"');
}

template <typename Items, typename Item>
void list(std::string& out, const Items& items, Item item) {
  out.push_back('[');
  bool first = true;
  for (const auto& i : items) {
    if (!first) out.push_back(',');
    first = false;
    item(i);
  }
  out.push_back(']');
}

}  // namespace

std::string DerivationWriter::write(const Derivation& drv) {
  std::string out = "Derive(";
  list(out, drv.outputs, [&](const DerivationOutput& o) {
    out.push_back('(');
    string(out, o.name);
    out.push_back(',');
    string(out, o.path);
    out.push_back(',');
    string(out, o.hashAlgo);
    out.push_back(',');
    string(out, o.hash);
    out.push_back(')');
  });
  out.push_back(',');
  list(out, drv.inputDrvs, [&](const std::pair<std::string, std::vector<std::string>>& input) {
    out.push_back('(');
    string(out, input.first);
    out.push_back(',');
    list(out, input.second, [&](const std::string& s) { string(out, s); });
    out.push_back(')');
  });
  out.push_back(',');
  list(out, drv.inputSrcs, [&](const std::string& s) { string(out, s); });
  out.push_back(',');
  string(out, drv.platform);
  out.push_back(',');
  string(out, drv.builder);
  out.push_back(',');
  list(out, drv.args, [&](const std::string& s) { string(out, s); });
  out.push_back(',');
  list(out, drv.env, [&](const std::pair<std::string, std::string>& kv) {
    out.push_back('(');
    string(out, kv.first);
    out.push_back(',');
    string(out, kv.second);
    out.push_back(')');
  });
  out.push_back(')');
  return out;
}

bool operator==(const DerivationOutput& a, const DerivationOutput& b) {
  return a.name == b.name && a.path == b.path && a.hashAlgo == b.hashAlgo && a.hash == b.hash;
}

bool operator==(const Derivation& a, const Derivation& b) {
  return a.outputs == b.outputs && a.inputDrvs == b.inputDrvs && a.inputSrcs == b.inputSrcs &&
         a.platform == b.platform && a.builder == b.builder && a.args == b.args && a.env == b.env;
}

}  // namespace ekaci::nix
