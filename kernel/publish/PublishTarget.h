#pragma once

#include <string>
#include <vector>

#include "kernel/config/RepoConfig.h"

namespace ekaci::publish {

// What to do after a job's derivations build: the job's caches (server ids) and hooks, and
// who asked — the repository and branch the caches' permissions are checked against.
//
// The branch is the one whose code was built: a pushed branch, or for a pull request
// "pull/<number>" — never the pull request's head branch, which its author names freely
// (a fork's branch may well be called "main").
struct PublishTarget {
  std::string repository;  // "owner/name"
  std::string branch;
  std::string commitSha;
  std::string jobName;
  std::vector<std::string> caches;
  std::vector<config::HookConfig> postBuildHooks;
  std::vector<config::HookConfig> fodPostBuildHooks;

  bool empty() const { return caches.empty() && postBuildHooks.empty() && fodPostBuildHooks.empty(); }
};

}  // namespace ekaci::publish
