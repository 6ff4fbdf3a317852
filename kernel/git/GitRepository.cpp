#include "kernel/git/GitRepository.h"

#include <fcntl.h>
#include <git2.h>
#include <sys/file.h>
#include <unistd.h>

namespace ekaci::git {
namespace {

// libgit2 is initialised once per process and stays initialised: init is reference counted
// and cheap, and shutting it down while another thread uses it would be a bug.
void ensureInitialised() {
  static const int initialised = git_libgit2_init();  // immutable after first use
  (void)initialised;
}

sdk::Error gitError(const std::string& what) {
  const git_error* e = git_error_last();
  return sdk::Error(sdk::ErrorCode::IoError, what + ": " + (e != nullptr && e->message ? e->message : "unknown error"));
}

template <typename T, void (*Free)(T*)>
struct Handle {
  T* ptr = nullptr;
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (ptr != nullptr) Free(ptr);
  }
};
using Object = Handle<git_object, git_object_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tree = Handle<git_tree, git_tree_free>;
using Remote = Handle<git_remote, git_remote_free>;
using Diff = Handle<git_diff, git_diff_free>;
using Reference = Handle<git_reference, git_reference_free>;

// Serialises fetches of one mirror across processes (a review CLI and the server).
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::filesystem::path& directory) {
    fd_ = ::open((directory / "ekaci.lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~DirectoryLock() {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
  }

 private:
  int fd_ = -1;
};

int createMirrorRemote(git_remote** out, git_repository* repo, const char* name, const char* url, void*) {
  return git_remote_create_with_fetchspec(out, repo, name, url, "+refs/*:refs/*");
}

// Credentials for one fetch: offered once (a second request means they were refused, and
// asking again would loop), as user and password, never stored.
struct CredentialOffer {
  const sdk::CloneCredentials* credentials = nullptr;
  int offered = 0;
};

int offerCredentials(git_credential** out, const char*, const char*, unsigned int allowed, void* payload) {
  auto* offer = static_cast<CredentialOffer*>(payload);
  if (offer == nullptr || offer->credentials == nullptr || offer->offered++ > 0 ||
      (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) == 0) {
    return GIT_PASSTHROUGH;
  }
  const std::string password(offer->credentials->password.reveal());
  return git_credential_userpass_plaintext_new(out, offer->credentials->username.c_str(), password.c_str());
}

void useCredentials(git_remote_callbacks& callbacks, CredentialOffer& offer) {
  if (offer.credentials == nullptr) return;
  callbacks.credentials = offerCredentials;
  callbacks.payload = &offer;
}

std::string oidString(const git_oid& oid) {
  char text[GIT_OID_HEXSZ + 1];
  git_oid_tostr(text, sizeof text, &oid);
  return text;
}

}  // namespace

GitRepository::GitRepository(git_repository* repository, std::filesystem::path directory)
    : repository_(repository), directory_(std::move(directory)) {}

GitRepository::~GitRepository() {
  if (repository_ != nullptr) git_repository_free(repository_);
}

sdk::Result<std::unique_ptr<GitRepository>> GitRepository::open(const std::filesystem::path& directory) {
  ensureInitialised();
  git_repository* repo = nullptr;
  if (git_repository_open_bare(&repo, directory.c_str()) < 0 && git_repository_open(&repo, directory.c_str()) < 0) {
    return gitError("cannot open repository " + directory.string());
  }
  return std::unique_ptr<GitRepository>(new GitRepository(repo, directory));
}

sdk::Result<std::unique_ptr<GitRepository>> GitRepository::mirror(const std::string& url,
                                                                  const std::filesystem::path& mirrorDirectory,
                                                                  const sdk::CloneCredentials* credentials) {
  ensureInitialised();
  std::error_code ec;
  if (std::filesystem::exists(mirrorDirectory / "HEAD", ec)) {
    auto opened = open(mirrorDirectory);
    if (!opened) return opened;
    if (auto fetched = (*opened)->fetch(credentials); !fetched) return std::move(fetched).error();
    return opened;
  }
  std::filesystem::create_directories(mirrorDirectory.parent_path(), ec);
  // Clone into a temporary name and rename, so a crash never leaves a half mirror behind.
  const auto partial = mirrorDirectory.string() + ".partial-" + std::to_string(::getpid());
  std::filesystem::remove_all(partial, ec);
  git_clone_options options;
  git_clone_options_init(&options, GIT_CLONE_OPTIONS_VERSION);
  options.bare = 1;
  options.remote_cb = createMirrorRemote;
  CredentialOffer offer{credentials, 0};
  useCredentials(options.fetch_opts.callbacks, offer);
  git_repository* repo = nullptr;
  if (git_clone(&repo, url.c_str(), partial.c_str(), &options) < 0) {
    auto error = gitError("cannot mirror " + url);
    std::filesystem::remove_all(partial, ec);
    return error;
  }
  git_repository_free(repo);
  std::filesystem::rename(partial, mirrorDirectory, ec);
  // A fresh mirror is fetched once more, which also records the source's HEAD.
  if (ec) {
    std::filesystem::remove_all(partial, ec);
    if (!std::filesystem::exists(mirrorDirectory / "HEAD")) {
      return sdk::Error(sdk::ErrorCode::IoError, "cannot place mirror at " + mirrorDirectory.string());
    }
  }
  auto opened = open(mirrorDirectory);
  if (!opened) return opened;
  if (auto fetched = (*opened)->fetch(credentials); !fetched) return std::move(fetched).error();
  return opened;
}

sdk::Result<void> GitRepository::fetchFrom(const std::string& url, const sdk::CloneCredentials* credentials) {
  DirectoryLock lock(directory_);
  // One namespace per source URL, so two forks' branches of the same name never collide.
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : url) hash = (hash ^ c) * 1099511628211ULL;
  const std::string refspec = "+refs/heads/*:refs/ekaci/fork/" + std::to_string(hash) + "/*";
  Remote remote;
  if (git_remote_create_anonymous(&remote.ptr, repository_, url.c_str()) < 0) return gitError("remote " + url);
  git_fetch_options options;
  git_fetch_options_init(&options, GIT_FETCH_OPTIONS_VERSION);
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  CredentialOffer offer{credentials, 0};
  useCredentials(options.callbacks, offer);
  char* spec = const_cast<char*>(refspec.c_str());
  git_strarray specs{&spec, 1};
  if (git_remote_fetch(remote.ptr, &specs, &options, "ekaci fetch fork") < 0) return gitError("fetching " + url);
  return sdk::success();
}

sdk::Result<void> GitRepository::fetch(const sdk::CloneCredentials* credentials) {
  DirectoryLock lock(directory_);
  Remote remote;
  if (git_remote_lookup(&remote.ptr, repository_, "origin") < 0) return gitError("no origin remote in mirror");
  git_fetch_options options;
  git_fetch_options_init(&options, GIT_FETCH_OPTIONS_VERSION);
  options.prune = GIT_FETCH_PRUNE;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
  CredentialOffer offer{credentials, 0};
  useCredentials(options.callbacks, offer);
  if (git_remote_fetch(remote.ptr, nullptr, &options, "ekaci fetch") < 0) {
    return gitError("fetching " + std::string(git_remote_url(remote.ptr)));
  }
  git_buf branch = GIT_BUF_INIT;
  if (git_remote_default_branch(&branch, remote.ptr) == 0 && branch.ptr != nullptr) {
    sourceDefaultBranch_ = branch.ptr;
    git_buf_dispose(&branch);
  }
  const git_remote_head** heads = nullptr;
  std::size_t count = 0;
  if (git_remote_ls(&heads, &count, remote.ptr) == 0) {
    for (std::size_t i = 0; i < count; ++i) {
      if (std::string(heads[i]->name) == "HEAD") sourceHead_ = oidString(heads[i]->oid);
    }
  }
  return sdk::success();
}

sdk::Result<std::string> GitRepository::resolve(const std::string& revision) {
  if (revision.empty() || revision.front() == '-') {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "invalid revision '" + revision + "'");
  }
  // "HEAD" (and "@", "HEAD~1", "HEAD^2", ...) means the source repository's HEAD, as a
  // user typing it in their working tree means it, not the mirror's own HEAD.
  std::string spec = revision;
  for (const std::string head : {"HEAD", "@"}) {
    const bool names = spec.rfind(head, 0) == 0 &&
                       (spec.size() == head.size() || spec[head.size()] == '~' || spec[head.size()] == '^');
    if (names && !sourceHead_.empty()) {
      spec = sourceHead_ + spec.substr(head.size());
      break;
    }
  }
  Object object;
  if (git_revparse_single(&object.ptr, repository_, spec.c_str()) < 0) {
    return sdk::Error(sdk::ErrorCode::NotFound, "unknown revision '" + revision + "'");
  }
  Object commit;
  if (git_object_peel(&commit.ptr, object.ptr, GIT_OBJECT_COMMIT) < 0) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "'" + revision + "' is not a commit");
  }
  return oidString(*git_object_id(commit.ptr));
}

sdk::Result<std::string> GitRepository::mergeBase(const std::string& a, const std::string& b) {
  auto ra = resolve(a);
  if (!ra) return ra;
  auto rb = resolve(b);
  if (!rb) return rb;
  git_oid oa, ob, base;
  git_oid_fromstr(&oa, ra->c_str());
  git_oid_fromstr(&ob, rb->c_str());
  if (git_merge_base(&base, repository_, &oa, &ob) < 0) {
    return sdk::Error(sdk::ErrorCode::NotFound, "no common ancestor of " + a + " and " + b);
  }
  return oidString(base);
}

sdk::Result<std::string> GitRepository::defaultBranch() {
  const std::string prefix = "refs/heads/";
  if (sourceDefaultBranch_.rfind(prefix, 0) == 0) return sourceDefaultBranch_.substr(prefix.size());
  Reference head;
  if (git_reference_lookup(&head.ptr, repository_, "HEAD") < 0) return gitError("no HEAD");
  if (git_reference_type(head.ptr) == GIT_REFERENCE_SYMBOLIC) {
    std::string target = git_reference_symbolic_target(head.ptr);
    if (target.rfind(prefix, 0) == 0) return target.substr(prefix.size());
    return target;
  }
  return sdk::Error(sdk::ErrorCode::NotFound, "HEAD of the mirror is detached");
}

sdk::Result<void> GitRepository::checkout(const std::string& commit, const std::filesystem::path& directory) {
  auto sha = resolve(commit);
  if (!sha) return std::move(sha).error();
  Object object;
  if (git_revparse_single(&object.ptr, repository_, sha->c_str()) < 0) return gitError("cannot read " + *sha);
  std::error_code ec;
  if (std::filesystem::exists(directory, ec)) {
    return sdk::Error(sdk::ErrorCode::AlreadyExists, "checkout target " + directory.string() + " already exists");
  }
  std::filesystem::create_directories(directory, ec);
  if (ec) return sdk::Error(sdk::ErrorCode::IoError, "cannot create " + directory.string() + ": " + ec.message());
  git_checkout_options options;
  git_checkout_options_init(&options, GIT_CHECKOUT_OPTIONS_VERSION);
  options.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
  const std::string target = directory.string();
  options.target_directory = target.c_str();
  if (git_checkout_tree(repository_, object.ptr, &options) < 0) return gitError("cannot check out " + *sha);
  return sdk::success();
}

sdk::Result<std::vector<std::string>> GitRepository::changedFiles(const std::string& from, const std::string& to) {
  auto treeOf = [&](const std::string& revision, Tree& tree) -> sdk::Result<void> {
    auto sha = resolve(revision);
    if (!sha) return std::move(sha).error();
    git_oid oid;
    git_oid_fromstr(&oid, sha->c_str());
    Commit commit;
    if (git_commit_lookup(&commit.ptr, repository_, &oid) < 0) return gitError("cannot read " + *sha);
    if (git_commit_tree(&tree.ptr, commit.ptr) < 0) return gitError("cannot read the tree of " + *sha);
    return sdk::success();
  };
  Tree a, b;
  if (auto r = treeOf(from, a); !r) return std::move(r).error();
  if (auto r = treeOf(to, b); !r) return std::move(r).error();
  Diff diff;
  if (git_diff_tree_to_tree(&diff.ptr, repository_, a.ptr, b.ptr, nullptr) < 0) return gitError("cannot diff");
  git_diff_find_options find;
  git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
  find.flags = GIT_DIFF_FIND_RENAMES;
  git_diff_find_similar(diff.ptr, &find);
  std::vector<std::string> files;
  for (std::size_t i = 0; i < git_diff_num_deltas(diff.ptr); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.ptr, i);
    if (delta->old_file.path != nullptr) files.emplace_back(delta->old_file.path);
    if (delta->new_file.path != nullptr &&
        (delta->old_file.path == nullptr || std::string(delta->new_file.path) != delta->old_file.path)) {
      files.emplace_back(delta->new_file.path);
    }
  }
  return files;
}

sdk::Result<std::string> GitRepository::subject(const std::string& commit) {
  auto sha = resolve(commit);
  if (!sha) return sha;
  git_oid oid;
  git_oid_fromstr(&oid, sha->c_str());
  Commit c;
  if (git_commit_lookup(&c.ptr, repository_, &oid) < 0) return gitError("cannot read " + *sha);
  const char* summary = git_commit_summary(c.ptr);
  return std::string(summary != nullptr ? summary : "");
}

}  // namespace ekaci::git
