// Config files (SPEC 3) and the JSON file reader shared by configs, scenarios and the CLI.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <vector>
#include <string>

#include "options.hpp"
#include "profiles.hpp"
#include "scratch_dir.hpp"

namespace si {

// Reads a JSON file. A leading UTF-8 BOM is ignored. Errors read
// "path:line:column: message" for syntax and "path: cannot read: reason" for I/O; only a
// regular file of at most kMaxJsonFileBytes is read ("cannot read: not a regular file",
// "cannot read: larger than 64 MiB"), so /dev/zero or a FIFO is refused, never read.
constexpr size_t kMaxJsonFileBytes = size_t(64) << 20;
Result<json> readJsonFile(const std::string& path);
// "path: cannot read: ..." unless `path` is a regular file (or a link to one): what
// readJsonFile checks before it opens a file, for callers that look into a file first (a
// FIFO would block them, /dev/zero never end).
Status checkRegularFile(const std::string& path);
// Parses JSON text; `name` is used as the path in syntax errors. Text nested deeper than
// kMaxJsonDepth arrays/objects is refused ("name:line:column: nested deeper than ..."), and so
// are bytes after the document other than whitespace. Time is linear in the text's size (an
// object's keys keep their order; a repeated key keeps its first place and its last value).
constexpr size_t kMaxJsonDepth = 512;
Result<json> parseJsonText(std::string_view text, const std::string& name);

// One registry's settings (SPEC 8, 9): the config's `registry` block, or a createRegistry
// step's keys over it (each key replaces the block's value whole).
struct RegistrySettings {
  Environment environment = Environment::Browser;
  Policy policy = Policy::Longest;  // effective: explicit, else the profile's default
  bool policyExplicit = false;      // `policy` was given (it then wins over the profile's)
  Profile profile = Profile::Spec;  // SPEC 11 rule profile
  OptionLayer defaults;
  ClientIdMode clientIdMode = ClientIdMode::Registry;
  SessionIdMode sessionIdMode = SessionIdMode::Registry;
  std::string clientId;   // "" = "<registry name>-client"
  std::string sessionId;  // "" = "<registry name>-session"
};

struct Config {
  Environment environment = Environment::Browser;
  Policy policy = Policy::Longest;  // effective, as RegistrySettings::policy
  bool policyExplicit = false;      // registry.policy or the scenario's policy was given
  Profile profile = Profile::Spec;  // registry.profile (SPEC 11)
  OptionLayer defaults;                          // registry.defaultOptions
  // registry.identity, registry.clientId, registry.sessionId (SPEC 9)
  ClientIdMode clientIdMode = ClientIdMode::Registry;
  SessionIdMode sessionIdMode = SessionIdMode::Registry;
  std::string clientId, sessionId;
  // The command line's --policy / --environment (and compare's runs): they override every
  // registry, created ones included (SPEC 8), where the scenario's own values are inherited.
  std::optional<Policy> policyOverride;
  std::optional<Environment> environmentOverride;
  // compare --profiles: every registry's profile (its policy follows unless explicit).
  std::optional<Profile> profileOverride;
  std::map<std::string, StoreTemplate> templates;  // storeOptions, by name
  std::string baseDir = ".";                     // folder for relative adapter directories
  json source = json::object();                  // the config JSON as read (for journals)
  // Set for dry runs (check, journal replays, compare): file adapters then write only inside
  // this private folder, never in the directories the config names (SPEC 2.6).
  std::shared_ptr<const FileSandbox> sandbox;
};

// The `default` registry's settings, the base of every createRegistry.
RegistrySettings registrySettings(const Config& c);
// A registry block's keys over `base` (environment, policy, profile, defaultOptions, identity,
// clientId, sessionId; `extraKeys` are skipped, e.g. createRegistry's "name"). Without an
// explicit policy (here or inherited) the policy is the profile's default (SPEC 11). `where` is the block's
// JSON pointer; errors read "<where>/<key>: message", unknown keys with did-you-mean.
Result<RegistrySettings> parseRegistryBlock(const json& block, const std::string& where,
                                            RegistrySettings base,
                                            const std::vector<std::string_view>& extraKeys = {});
// SPEC 8: [A-Za-z0-9_.:-]{1,64}.
bool isRegistryName(std::string_view name);

// Validates a config object. Content errors read "/json/pointer: message" (no file prefix;
// callers at a file boundary prefix "path: ").
Result<Config> parseConfig(const json& j, const std::string& baseDir);
// readJsonFile + parseConfig, errors prefixed with the path.
Result<Config> loadConfigFile(const std::string& path);

std::string dirName(const std::string& path);  // "." for a bare file name

}  // namespace si
