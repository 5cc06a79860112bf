#include "profiles.hpp"

#include <array>

#include <nlohmann/json.hpp>

namespace si {
namespace {

constexpr std::array<std::string_view, 3> kProfileNames = {"spec", "tanstack-query-5", "livestore-0.4"};
static_assert(kProfileNames.size() == std::size(kAllProfiles), "one name per profile");

struct RuleText {
  std::string_view id;
  std::string_view summary;
};
constexpr RuleText kRules[] = {
    {kRuleLoadEndRearms,
     "a load that ends with no observers re-arms GC from the load's end, even if a timer was armed"},
    {kRuleGcDuringLoadIgnored,
     "a GC timer that fires while the store is loading does nothing; the load's end re-arms it"},
    {kRuleLoadHoldsReference,
     "a preload or a load holds a reference until the load ends, so GC starts at the load's end"},
};

}  // namespace

std::string_view toString(Profile p) { return kProfileNames[static_cast<size_t>(p)]; }

bool parseProfile(std::string_view s, Profile* out) {
  for (size_t i = 0; i < kProfileNames.size(); ++i) {
    if (kProfileNames[i] == s) {
      *out = static_cast<Profile>(i);
      return true;
    }
  }
  return false;
}

Result<Profile> parseProfile(std::string_view s) {
  Profile p = Profile::Spec;
  if (parseProfile(s, &p)) return p;
  return Error{"unknown profile " + shortDump(json(std::string(s))) + "; expected one of spec, " +
               "tanstack-query-5, livestore-0.4" + didYouMean(s, profileNames())};
}

const std::vector<std::string_view>& profileNames() {
  static const std::vector<std::string_view> names(kProfileNames.begin(), kProfileNames.end());
  return names;
}

Policy defaultPolicy(Profile p) {
  switch (p) {
    case Profile::TanStackQuery5: return Policy::Longest;  // Math.max over observers' gcTime
    case Profile::LiveStore04: return Policy::First;       // the creating call's, as shipped
    case Profile::Spec: break;
  }
  return Policy::Longest;  // SPEC 2.4's default
}

const std::vector<std::string_view>& ruleIds() {
  static const std::vector<std::string_view> ids = [] {
    std::vector<std::string_view> v;
    for (const RuleText& r : kRules) v.push_back(r.id);
    return v;
  }();
  return ids;
}

std::string_view ruleSummary(std::string_view rule) {
  for (const RuleText& r : kRules) {
    if (r.id == rule) return r.summary;
  }
  return {};
}

}  // namespace si
