#include "kernel/graph/DrvGraph.h"

#include <cstring>
#include <functional>
#include <stdexcept>

namespace ekaci::graph {
namespace {
constexpr std::string_view kStorePrefix = "/nix/store/";
constexpr std::string_view kDrv = ".drv";
constexpr std::string_view kBase32 = "0123456789abcdfghijklmnpqrsvwxyz";  // Nix's alphabet
constexpr std::size_t kHashChars = 32;

struct DigitTable {
  std::int8_t value[256];
  constexpr DigitTable() : value() {
    for (auto& v : value) v = -1;
    for (std::size_t i = 0; i < kBase32.size(); ++i)
      value[static_cast<unsigned char>(kBase32[i])] = static_cast<std::int8_t>(i);
  }
};
constexpr DigitTable kDigits;

int digitOf(char c) {
  return kDigits.value[static_cast<unsigned char>(c)];
}

// Builds CSR arrays from (from, to) pairs.
void buildCsr(std::vector<std::pair<NodeId, NodeId>>& edges, std::size_t nodes, std::vector<std::uint32_t>& offsets,
              std::vector<NodeId>& targets) {
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  offsets.assign(nodes + 1, 0);
  for (const auto& [from, to] : edges) ++offsets[from + 1];
  for (std::size_t i = 0; i < nodes; ++i) offsets[i + 1] += offsets[i];
  targets.resize(edges.size());
  targets.shrink_to_fit();
  for (std::size_t i = 0; i < edges.size(); ++i) targets[i] = edges[i].second;
}

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}
}  // namespace

DrvGraph::Key DrvGraph::split(std::string_view drvPath) {
  Key key;
  std::string_view rest = drvPath;
  if (rest.substr(0, kStorePrefix.size()) != kStorePrefix) {
    key.name = rest;  // not a store path: kept whole
    return key;
  }
  rest.remove_prefix(kStorePrefix.size());
  key.flags |= kStore;
  if (rest.size() > kHashChars && rest[kHashChars] == '-') {
    // 32 characters of 5 bits each: exactly the 160 bits of the hash.
    bool valid = true;
    std::uint32_t bits = 0;
    int held = 0;
    std::size_t out = 0;
    for (std::size_t i = 0; i < kHashChars && valid; ++i) {
      const int d = digitOf(rest[i]);
      if (d < 0) {
        valid = false;
        break;
      }
      bits = (bits << 5) | static_cast<std::uint32_t>(d);
      held += 5;
      if (held >= 8) {
        held -= 8;
        key.hash[out++] = static_cast<std::uint8_t>(bits >> held);
        bits &= (1u << held) - 1;
      }
    }
    if (valid) {
      key.flags |= kHashed;
      rest.remove_prefix(kHashChars + 1);
    } else {
      std::memset(key.hash, 0, sizeof key.hash);
    }
  }
  if (rest.size() >= kDrv.size() && rest.substr(rest.size() - kDrv.size()) == kDrv) {
    key.flags |= kDrvSuffix;
    rest.remove_suffix(kDrv.size());
  }
  key.name = rest;  // a store path not of the form "<hash>-<name>": all of it after the prefix
  return key;
}

std::uint64_t DrvGraph::hashOf(const Key& key) {
  if ((key.flags & kHashed) != 0) {
    std::uint64_t h = 0;
    std::memcpy(&h, key.hash, sizeof h);  // already uniformly distributed
    return h;
  }
  return mix(std::hash<std::string_view>{}(key.name) ^ key.flags);
}

std::string_view DrvGraph::nameOf(NodeId id) const {
  const std::uint32_t begin = id == 0 ? 0 : nameEnds_[id - 1];
  return std::string_view(names_).substr(begin, nameEnds_[id] - begin);
}

std::uint64_t DrvGraph::hashOf(NodeId id) const {
  Key key;
  key.flags = flags_[id] & kIdentity;
  std::memcpy(key.hash, &hashes_[std::size_t{id} * kHashBytes], kHashBytes);
  key.name = nameOf(id);
  return hashOf(key);
}

bool DrvGraph::matches(NodeId id, const Key& key) const {
  if ((flags_[id] & kIdentity) != key.flags) return false;
  if ((key.flags & kHashed) != 0 && std::memcmp(&hashes_[std::size_t{id} * kHashBytes], key.hash, kHashBytes) != 0) {
    return false;
  }
  return nameOf(id) == key.name;
}

void DrvGraph::growIndex() {
  // Load stays between 5/8 and 4/5: 5 to 6.4 bytes per node.
  const std::size_t capacity = std::max<std::size_t>(1024, (size() + 1) * 8 / 5);
  index_.assign(capacity, kEmpty);
  for (NodeId id = 0; id < size(); ++id) {
    std::size_t slot = slotOf(hashOf(id));
    while (index_[slot] != kEmpty) slot = slot + 1 == capacity ? 0 : slot + 1;
    index_[slot] = id;
  }
}

NodeId DrvGraph::intern(std::string_view drvPath) {
  const Key key = split(drvPath);
  if (auto existing = find(key)) return *existing;
  if (frozen_) throw std::logic_error("DrvGraph::intern after freeze");
  if (size() >= kEmpty - 1) throw std::length_error("DrvGraph: too many nodes");
  const auto id = static_cast<NodeId>(size());
  hashes_.insert(hashes_.end(), key.hash, key.hash + kHashBytes);
  names_.append(key.name);
  nameEnds_.push_back(static_cast<std::uint32_t>(names_.size()));
  flags_.push_back(key.flags);
  systemOf_.push_back(0);
  if (systems_.empty()) systems_.emplace_back("unknown");
  if ((size() + 1) * 5 > index_.size() * 4) {
    growIndex();  // re-inserts every node, this one included
  } else {
    std::size_t slot = slotOf(hashOf(key));
    while (index_[slot] != kEmpty) slot = slot + 1 == index_.size() ? 0 : slot + 1;
    index_[slot] = id;
  }
  return id;
}

std::optional<NodeId> DrvGraph::find(const Key& key) const {
  if (index_.empty()) return std::nullopt;
  for (std::size_t slot = slotOf(hashOf(key)); index_[slot] != kEmpty;
       slot = slot + 1 == index_.size() ? 0 : slot + 1) {
    if (matches(index_[slot], key)) return index_[slot];
  }
  return std::nullopt;
}

std::optional<NodeId> DrvGraph::find(std::string_view drvPath) const {
  return find(split(drvPath));
}

std::string DrvGraph::path(NodeId id) const {
  const std::uint8_t flags = flags_.at(id);
  const std::string_view name = nameOf(id);
  if ((flags & kStore) == 0) return std::string(name);
  std::string out;
  out.reserve(kStorePrefix.size() + kHashChars + 1 + name.size() + kDrv.size());
  out += kStorePrefix;
  if ((flags & kHashed) != 0) {
    const std::uint8_t* hash = &hashes_[std::size_t{id} * kHashBytes];
    std::uint32_t bits = 0;
    int held = 0;
    std::size_t in = 0;
    for (std::size_t i = 0; i < kHashChars; ++i) {
      if (held < 5) {
        bits = (bits << 8) | hash[in++];
        held += 8;
      }
      held -= 5;
      out += kBase32[(bits >> held) & 31u];
    }
    out += '-';
  }
  out += name;
  if ((flags & kDrvSuffix) != 0) out += kDrv;
  return out;
}

void DrvGraph::addEdge(NodeId referrer, NodeId reference) {
  if (frozen_) throw std::logic_error("DrvGraph::addEdge after freeze");
  pendingEdges_.emplace_back(referrer, reference);
}

void DrvGraph::setSystem(NodeId id, std::string_view system) {
  for (std::size_t i = 0; i < systems_.size(); ++i) {
    if (systems_[i] == system) {
      systemOf_[id] = static_cast<std::uint8_t>(i);
      return;
    }
  }
  if (systems_.size() > UINT8_MAX) return;  // stays "unknown" (there are a dozen systems)
  systems_.emplace_back(system);
  systemOf_[id] = static_cast<std::uint8_t>(systems_.size() - 1);
}

void DrvGraph::setFixedOutput(NodeId id, bool fixedOutput) {
  flags_[id] = fixedOutput ? (flags_[id] | kFixedOutput) : (flags_[id] & ~kFixedOutput);
}

void DrvGraph::freeze() {
  if (frozen_) return;
  std::vector<std::pair<NodeId, NodeId>> reversed;
  reversed.reserve(pendingEdges_.size());
  for (const auto& [from, to] : pendingEdges_) reversed.emplace_back(to, from);
  buildCsr(pendingEdges_, size(), referenceOffsets_, referenceTargets_);
  pendingEdges_.clear();
  pendingEdges_.shrink_to_fit();
  buildCsr(reversed, size(), referrerOffsets_, referrerTargets_);
  hashes_.shrink_to_fit();
  names_.shrink_to_fit();
  nameEnds_.shrink_to_fit();
  flags_.shrink_to_fit();
  systemOf_.shrink_to_fit();
  frozen_ = true;
}

std::pair<const NodeId*, const NodeId*> DrvGraph::references(NodeId id) const {
  const NodeId* base = referenceTargets_.data();
  return {base + referenceOffsets_[id], base + referenceOffsets_[id + 1]};
}

std::pair<const NodeId*, const NodeId*> DrvGraph::referrers(NodeId id) const {
  const NodeId* base = referrerTargets_.data();
  return {base + referrerOffsets_[id], base + referrerOffsets_[id + 1]};
}

std::size_t DrvGraph::dependentCount(const std::vector<NodeId>& seeds) const {
  std::size_t n = 0;
  forEachDependent(seeds, [&](NodeId) { ++n; });
  return n;
}

std::size_t DrvGraph::memoryBytes() const {
  std::size_t bytes = hashes_.capacity() + names_.capacity() + nameEnds_.capacity() * sizeof(std::uint32_t) +
                      flags_.capacity() + systemOf_.capacity() + index_.capacity() * sizeof(NodeId) +
                      pendingEdges_.capacity() * sizeof(pendingEdges_[0]) +
                      (referenceOffsets_.capacity() + referrerOffsets_.capacity()) * sizeof(std::uint32_t) +
                      (referenceTargets_.capacity() + referrerTargets_.capacity()) * sizeof(NodeId) +
                      visited_.capacity() * sizeof(std::uint64_t);
  for (const auto& system : systems_) bytes += sizeof(std::string) + system.capacity();
  return bytes;
}

}  // namespace ekaci::graph
