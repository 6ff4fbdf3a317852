#include "kernel/review/JsonRenderer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cmath>
#include <sstream>

#include "ekaci/sdk/UntrustedText.h"

namespace ekaci::review {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr strings(const std::vector<std::string>& items) {
  Array::Ptr array = new Array;
  for (const auto& item : items) array->add(item);
  return array;
}

Object::Ptr changeJson(const PackageChange& c) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("attr", c.attr);
  o->set("change", std::string(toString(c.change)));
  if (!c.oldAttr.empty()) o->set("old_attr", c.oldAttr);
  o->set("rebuild", c.rebuild);
  o->set("pname", c.pname);
  o->set("old_version", c.oldVersion);
  o->set("new_version", c.newVersion);
  o->set("system", c.system);
  o->set("drv_path", c.drvPath);
  o->set("license_changed", c.licenseChanged);
  o->set("old_licenses", strings(c.oldLicenses));
  o->set("new_licenses", strings(c.newLicenses));
  o->set("maintainers_changed", c.maintainersChanged);
  o->set("old_maintainers", strings(c.oldMaintainers));
  o->set("new_maintainers", strings(c.newMaintainers));
  o->set("dependent_jobs", static_cast<Poco::UInt64>(c.dependentJobs));
  o->set("dependent_derivations", static_cast<Poco::UInt64>(c.dependentDerivations));
  return o;
}

Object::Ptr jobJson(const JobReview& job) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("job", job.job);
  o->set("evaluator", job.evaluator);
  o->set("clean", job.clean());
  o->set("allow_eval_failures", job.allowEvalFailures);
  o->set("base_failure", job.baseFailure ? Poco::Dynamic::Var(*job.baseFailure) : Poco::Dynamic::Var());
  o->set("head_failure", job.headFailure ? Poco::Dynamic::Var(*job.headFailure) : Poco::Dynamic::Var());
  o->set("base_attributes", static_cast<Poco::UInt64>(job.baseAttributes));
  o->set("head_attributes", static_cast<Poco::UInt64>(job.headAttributes));
  o->set("base_from_cache", job.baseFromCache);
  o->set("head_from_cache", job.headFromCache);
  Object::Ptr counts = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto& n = job.counts;
  for (const auto& [key, value] :
       std::vector<std::pair<const char*, std::size_t>>{{"added", n.added},
                                                        {"removed", n.removed},
                                                        {"version_bumps", n.versionBumps},
                                                        {"renamed", n.renamed},
                                                        {"rebuild_only", n.rebuildOnly},
                                                        {"unchanged", n.unchanged},
                                                        {"license_changes", n.licenseChanges},
                                                        {"maintainer_changes", n.maintainerChanges},
                                                        {"new_errors", n.newErrors},
                                                        {"fixed_errors", n.fixedErrors},
                                                        {"still_failing", n.stillFailing}}) {
    counts->set(key, static_cast<Poco::UInt64>(value));
  }
  o->set("counts", counts);
  Array::Ptr changes = new Array;
  for (const auto& c : job.changes) changes->add(changeJson(c));
  o->set("changes", changes);
  Array::Ptr errors = new Array;
  for (const auto& e : job.evalErrors) {
    Object::Ptr eo = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    eo->set("attr", e.attr);
    eo->set("change", std::string(toString(e.change)));
    eo->set("message", e.message);
    errors->add(eo);
  }
  o->set("eval_errors", errors);
  Array::Ptr metadata = new Array;
  for (const auto& [attr, lines] : job.metadataWarnings) {
    Object::Ptr mo = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    mo->set("attr", attr);
    Array::Ptr messages = new Array;
    for (const auto& line : lines) messages->add(line);
    mo->set("warnings", messages);
    metadata->add(mo);
  }
  o->set("metadata_warnings", metadata);
  Array::Ptr rebuilds = new Array;
  for (const auto& r : job.rebuilds) {
    Object::Ptr ro = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    ro->set("system", r.system);
    ro->set("count", static_cast<Poco::UInt64>(r.count));
    ro->set("label", r.bucket);
    rebuilds->add(ro);
  }
  o->set("rebuilds", rebuilds);
  o->set("top_blast_radius", strings(job.topBlastRadius));
  o->set("full_blast_radius", job.fullBlastRadius);
  Object::Ptr graph = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  graph->set("nodes", static_cast<Poco::UInt64>(job.graphNodes));
  graph->set("edges", static_cast<Poco::UInt64>(job.graphEdges));
  graph->set("truncated", job.graphTruncated);
  Array::Ptr unreadable = new Array;
  for (const auto& [path, why] : job.unreadableDerivations) {
    Object::Ptr u = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    u->set("drv_path", path);
    u->set("error", why);
    unreadable->add(u);
  }
  graph->set("unreadable", unreadable);
  o->set("graph", graph);
  Object::Ptr timing = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  timing->set("base_eval_ms", job.baseEvalMillis);
  timing->set("head_eval_ms", job.headEvalMillis);
  timing->set("impact_ms", job.impactMillis);
  o->set("timing", timing);
  o->set("notes", strings(job.notes));
  return o;
}

Array::Ptr buildsJson(const std::vector<JobBuildResults>& results) {
  Array::Ptr builds = new Array;
  for (const auto& r : results) {
    Object::Ptr job = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    job->set("job", r.job);
    job->set("jobset_id", r.jobsetId);
    job->set("conclusion", std::string(storage::toString(r.state)));
    Object::Ptr counts = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    counts->set("newly_failing", r.newlyFailing);
    counts->set("newly_succeeding", r.newlySucceeding);
    counts->set("still_failing", r.stillFailing);
    counts->set("still_succeeding", r.stillSucceeding);
    counts->set("removed", r.removed);
    counts->set("unfinished", r.unfinished);
    job->set("counts", counts);
    Array::Ptr verdicts = new Array;
    for (const auto& v : r.verdicts) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("attr", v.attr);
      o->set("verdict", std::string(review::toString(v.verdict)));
      o->set("head_state", v.headState);
      o->set("base_state", v.baseState);
      o->set("base_known", v.baseKnown);
      o->set("drv_path", v.drvPath);
      for (const auto& log : r.failureLogs) {
        if (log.attr != v.attr) continue;
        o->set("failed_drv", log.failedDrv);
        o->set("log_tail", log.lines);
      }
      verdicts->add(o);
    }
    job->set("verdicts", verdicts);
    Array::Ptr notes = new Array;
    for (const auto& note : r.notes) notes->add(note);
    job->set("notes", notes);
    builds->add(job);
  }
  return builds;
}

Array::Ptr sizesJson(const std::vector<JobSizes>& jobs) {
  Array::Ptr list = new Array;
  for (const auto& job : jobs) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("job", job.job);
    if (job.limitPercent) o->set("max_increase_percent", *job.limitPercent);
    o->set("not_in_store", job.notInStore);
    Array::Ptr outputs = new Array;
    for (const auto& c : job.outputs) {
      Object::Ptr entry = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      entry->set("attr", c.attr);
      entry->set("output", c.output);
      entry->set("store_path", c.headPath);
      entry->set("nar_size", c.head.narSize);
      entry->set("closure_size", c.head.closureSize);
      entry->set("added", c.added);
      auto grown = c.closurePercent();
      if (c.base) {
        entry->set("base_nar_size", c.base->narSize);
        entry->set("base_closure_size", c.base->closureSize);
        entry->set("base_from_history", c.baseFromHistory);
        if (grown) entry->set("closure_change_percent", std::round(*grown * 100.0) / 100.0);
      }
      entry->set("over_limit", job.limitPercent && grown && *grown > *job.limitPercent);
      outputs->add(entry);
    }
    o->set("outputs", outputs);
    list->add(o);
  }
  return list;
}

}  // namespace

std::string JsonRenderer::render(const ReviewReport& report) {
  Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("schema", "ekaci.review/1");
  root.set("repository", report.repository);
  root.set("clean", report.clean());
  Object::Ptr base = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  base->set("revision", report.baseRevision);
  base->set("sha", report.baseSha);
  base->set("subject", report.baseSubject);
  Object::Ptr head = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  head->set("revision", report.headRevision);
  head->set("sha", report.headSha);
  head->set("subject", report.headSubject);
  root.set("base", base);
  root.set("head", head);
  root.set("changed_files", strings(report.changedFiles));
  root.set("skipped_because", report.skippedBecause);
  Array::Ptr jobs = new Array;
  for (const auto& job : report.jobs) jobs->add(jobJson(job));
  root.set("jobs", jobs);
  root.set("warnings", strings(report.warnings));
  root.set("total_ms", report.totalMillis);
  if (report.builds) {
    root.set("builds_clean", report.buildsClean());
    root.set("builds", buildsJson(*report.builds));
  }
  if (report.sizes) root.set("sizes", sizesJson(*report.sizes));
  if (!report.sizesUnavailable.empty()) root.set("sizes_unavailable", report.sizesUnavailable);
  std::ostringstream out;
  root.stringify(out, 2);
  out << "\n";
  return sdk::UntrustedText::validUtf8(out.str());  // Nix messages may carry any bytes
}

}  // namespace ekaci::review
