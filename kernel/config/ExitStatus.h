#pragma once

namespace ekaci::config {

// The exit statuses of eka-ci-server and ekaci, the same for every command. Errors map to
// them through ErrorPolicy::exitFor, never by a number written at the call.
enum class ExitStatus : int {
  Ok = 0,        // done; a review found nothing that newly breaks
  No = 1,        // done, and the answer is no: a change breaks evaluation or a build, the server refused
  Usage = 2,     // the command line or the configuration is wrong; fix it and run again
  CouldNot = 3,  // it could not be carried out: storage, the network, a process, cancelled
};

inline int exitCode(ExitStatus status) {
  return static_cast<int>(status);
}

}  // namespace ekaci::config
