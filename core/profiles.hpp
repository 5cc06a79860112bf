// Rule profiles (SPEC 11): the documented ways the libraries' own registries differ from
// SPEC 2, so the model can follow one and only real surprises diverge. A registry has one
// profile; `spec` is SPEC 2 as written.
//
// Usage:
//   Result<Profile> p = parseProfile("tanstack-query-5");
//   Policy pol = defaultPolicy(*p);                         // longest
//   e.rule == kRuleLoadEndRearms                            // an event a rule caused
#pragma once
#include <string_view>
#include <vector>

#include "error.hpp"
#include "result.hpp"
#include "types.hpp"

namespace si {

enum class Profile : uint8_t { Spec, TanStackQuery5, LiveStore04 };
constexpr Profile kAllProfiles[] = {Profile::Spec, Profile::TanStackQuery5, Profile::LiveStore04};
std::string_view toString(Profile p);  // "spec", "tanstack-query-5", "livestore-0.4"
bool parseProfile(std::string_view s, Profile* out);
// The error names the value and lists the valid names: `unknown profile "x"; expected one of
// spec, tanstack-query-5, livestore-0.4`.
Result<Profile> parseProfile(std::string_view s);
const std::vector<std::string_view>& profileNames();  // in enum order
// The policy a registry of this profile uses unless one is given explicitly (SPEC 11):
// tanstack-query-5 longest (Math.max), livestore-0.4 first (as shipped), spec longest.
Policy defaultPolicy(Profile p);

// Stable ids of the rules, "<profile>/<rule>", carried by the events they cause (Event::rule).
// A load that ends with 0 observers re-arms GC from the load's end, even if a timer was armed.
inline constexpr std::string_view kRuleLoadEndRearms = "tanstack-query-5/load-end-rearms";
// A GC timer firing on a LOADING instance does nothing (event gc_deferred).
inline constexpr std::string_view kRuleGcDuringLoadIgnored = "tanstack-query-5/gc-during-load-ignored";
// A preload or a load holds a reference until the load ends: a countdown whose last observer
// left during the load starts at the load's end.
inline constexpr std::string_view kRuleLoadHoldsReference = "livestore-0.4/load-holds-reference";
// Every rule id, for tables and tests.
const std::vector<std::string_view>& ruleIds();
// One sentence saying what a rule does ("" for an unknown id).
std::string_view ruleSummary(std::string_view rule);

}  // namespace si
