// Exports of a session (File menu): the events as CSV, and the command log as a scenario file
// (SPEC 4) whose final expect steps capture every store at the end, so `store-inspector run`
// on it passes.
#pragma once
#include <string>
#include <vector>

#include "session.hpp"

namespace si {

// Header "seq,t,kind,storeId,generation,observer,from,to,detail"; detail is the event's detail
// JSON; fields with a comma, quote or newline are quoted (RFC 4180).
std::string eventsCsv(const Registry& reg);

// A scenario: `steps` (a command log), then `at`'s snapshotExpectations(). The config is
// inline (its source JSON with relative adapter directories made absolute against its baseDir,
// so the file can live anywhere); the policy and environment are written explicitly.
json scenarioJson(const std::string& name, const Config& config, const std::vector<json>& steps, const Session& at);

Status writeTextFile(const std::string& path, const std::string& text);

}  // namespace si
