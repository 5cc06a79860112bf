// Text about core records, shared by several panels (no drawing here).
#pragma once
#include <string>

#include "registry.hpp"

namespace si::gui {

// The request record of `store` with this registry-wide seq, or null (forgotten or none).
const RequestRecord* findRequest(const StoreRecord& store, uint64_t seq);
// "attach p1 #3 @1500" / "preload #4 @0" / "request #7" when forgotten.
std::string describeRequest(const StoreRecord& store, uint64_t seq);
// Where the effective gcTime came from: "call-site (p1 #3)", "template (preload #4)".
std::string describeGcSource(const StoreRecord& store);
// The call-site options of a request (its source minus use/params/observer/component).
json callSiteOptions(const json& request);
// One line for an event: "gc_scheduled issue-1 g1 gcTime=5000 due=5500".
std::string describeEvent(const Registry& reg, const Event& e);

}  // namespace si::gui
