#include "driver.hpp"

#include <algorithm>

#include "config.hpp"  // isRegistryName
#include "names.hpp"

namespace si::live {
namespace {

std::string connectionName(uint64_t id) { return "live: connection " + std::to_string(id); }

// A bridge's step may not move the clock: a connection's time is its t (SPEC 11).
bool movesClock(const json& step) {
  return step.is_object() && (step.contains("advance") || step.contains("advanceTo") || step.contains("live"));
}

// The storeId a step is about, for placing its failure on a store ("" when none).
std::string storeIdOf(const json& step) {
  if (!step.is_object()) return "";
  for (const char* k : {"attach", "preload", "drop", "loaded", "loadFailed"}) {
    const auto it = step.find(k);
    if (it == step.end() || !it->is_object()) continue;
    const json& v = it->contains("request") ? (*it)["request"] : *it;
    if (v.is_object() && v.contains("storeId") && v["storeId"].is_string()) return v["storeId"].get<std::string>();
  }
  return "";
}

// The step of the live message being executed, as its bridge sent it (the command log's
// last entry is that message).
json sentStep(const Session& s) {
  const json command = s.commands().back().step();
  const json* step = &command;
  for (const char* k : {"live", "message", "step"}) {
    if (!step->is_object() || !step->contains(k)) return json();
    step = &(*step)[k];
  }
  return *step;
}

std::string instancesText(const std::vector<std::pair<std::string, Ms>>& live, const std::string& newest, Ms at) {
  std::string s;
  for (const auto& [id, t] : live) s += shortDump(json(id)) + " (created at " + std::to_string(t) + " ms) and ";
  return s + shortDump(json(newest)) + " (created at " + std::to_string(at) + " ms)";
}

// The model event a library's `created` fact stands for. LiveStore 0.4 puts a store at
// globalThis.__debugLiveStore only once its boot has finished (createStore, after the boot's
// Effect succeeded), so its creation is the model's load end; a TanStack query exists from the
// moment the cache builds it (QueryCache.build → "added"), the model's instance creation.
EventKind createdEvent(Library library) {
  return library == Library::Livestore ? EventKind::LoadSucceeded : EventKind::InstanceCreated;
}

}  // namespace

Status Driver::apply(Session& s, const Live& cmd, StepResult& r) {
  watchModel(s);  // what ordinary commands (the window's clock, a click) did since the last look
  auto it = connections_.find(cmd.connection);
  if (cmd.end()) {
    if (it == connections_.end()) return Error{connectionName(cmd.connection) + " never said hello"};
    if (!it->second.ended) settle(s, it->second, true);
    it->second.ended = true;
    return success();
  }
  // Decoded by the reader already (runMessage), or a command as JSON (a journal, a test).
  Result<Body> m = cmd.decoded ? Result<Body>(std::move(*static_cast<Body*>(cmd.decoded)))
                               : decodeBody(cmd.message);
  if (!m) return Error{connectionName(cmd.connection) + ": " + m.message()};
  if (const Hello* h = std::get_if<Hello>(&*m)) {
    if (it != connections_.end()) return Error{connectionName(cmd.connection) + " said hello twice"};
    Connection& c = connections_[cmd.connection];
    c.id = cmd.connection;
    return hello(s, c, *h, cmd.overrides, r);
  }
  if (it == connections_.end()) return Error{connectionName(cmd.connection) + " sent a message before its hello"};
  Connection& c = it->second;
  if (c.ended) return Error{connectionName(cmd.connection) + " has ended"};
  ++c.messages;
  reach(s, c, timeOf(*m), r);
  if (Step* st = std::get_if<Step>(&*m)) {
    if (st->quick && !s.keepsNested() && isRegistryName(c.registry)) {
      quickStep(s, c, std::move(*st->quick), r);
    } else if (Status ok = step(s, c, st->quick ? st->quick->toJson() : std::move(st->parsed), r); !ok) {
      return ok;
    }
  } else if (const Observed* o = std::get_if<Observed>(&*m)) {
    fact(s, c, *o);
  } else if (const Heartbeat* hb = std::get_if<Heartbeat>(&*m)) {
    ++c.heartbeats;
    c.dropped += static_cast<uint64_t>(hb->dropped.value_or(0));
  }
  // The model's events of the advance and the step, in order, then what this connection's
  // time settles. Another connection's horizon (its own last message) has not moved, and the
  // model events just fed are at now, never before it: settling it again would find nothing.
  watchModel(s);
  settle(s, c, false);
  return success();
}

Status Driver::hello(Session& s, Connection& c, const Hello& h, const json& overrides, StepResult& r) {
  c.hello = h;
  c.origin = c.last = s.registry().now();
  c.messages = 1;
  const json tol = overrides.is_object() ? overrides.value("toleranceMs", json()) : json();
  c.judge.setTolerance(tol.is_number_integer() ? tol.get<int64_t>() : h.toleranceMs.value_or(0));
  const auto& regs = s.registry().registries();
  c.registry = registryNameFor(h.app, [&](std::string_view n) {
    return std::any_of(regs.begin(), regs.end(), [&](const NamedRegistry& g) { return g.name == n; });
  });
  json create = helloRegistryStep(h, c.registry);
  if (overrides.is_object() && overrides.contains("policy")) create["createRegistry"]["policy"] = overrides["policy"];
  Status made = s.executeNested(create, r);
  if (!made) {  // settings the model refuses: the registry without them, and say so
    json plain = json::object();
    plain["createRegistry"] = json{{"name", c.registry}, {"profile", create["createRegistry"]["profile"]}};
    if (Status ok = s.executeNested(plain, r); !ok) return Error{connectionName(c.id) + ": hello: " + ok.message()};
  }
  c.index = *s.registry().registryIndex(c.registry);
  owners_[c.index] = c.id;
  if (!made) diverge(s, c, "", "the hello's settings were refused (" + made.message() + "); the registry runs without them");
  return success();
}

Ms Driver::reach(Session& s, Connection& c, int64_t t, StepResult& r) {
  const Ms now = s.registry().now();
  Ms want = c.origin + t;
  if (want < now) {
    ++c.skew;
    want = now;
  } else if (want > now) {
    // advanceTo cannot fail for a later time; its timers fire as for any scenario step.
    (void)s.executeNested(AdvanceTo{want}, s.keepsNested() ? json{{"advanceTo", want}} : json(), r);
  }
  c.last = std::max(c.last, want);
  return want;
}

Status Driver::step(Session& s, Connection& c, json&& step, StepResult& r) {
  ++c.steps;
  if (movesClock(step)) {
    failed(s, c, step, "a bridge's step cannot move the clock (a connection's time is its t)");
    return success();
  }
  // The step is consumed by its rewriting; a failure names it as sent, from the log. Where
  // nested steps are not kept (a trace, listen), the common ones skip the rewritten JSON.
  Status ok = success();
  if (std::optional<Action> a = s.keepsNested() ? std::nullopt : readCommonStep(step, c.registry)) {
    ok = s.executeNested(*a, json(), r);
  } else {
    ok = s.executeNested(rewriteStep(std::move(step), c.registry, &c.hello), r);
  }
  if (!ok) failed(s, c, sentStep(s), ok.message());
  return success();
}

void Driver::quickStep(Session& s, Connection& c, QuickStep&& q, StepResult& r) {
  // What readCommonStep and the session make of the step's JSON, without the JSON.
  ++c.steps;
  Status ok = success();
  switch (q.kind) {
    case QuickStep::Kind::Attach:
      key_.clear();
      appendQuickRequestKey(q, key_);
      ok = s.attachKeyed(scopedObserver(c.registry, q.observer), c.registry, key_,
                         [&] { return quickRequest(q); });
      break;
    case QuickStep::Kind::Detach:
      ok = s.executeNested(Action{Detach{scopedObserver(c.registry, q.observer)}}, json(), r);
      break;
    case QuickStep::Kind::Loaded:
      ok = s.executeNested(Action{Loaded{std::move(q.storeId), c.registry}}, json(), r);
      break;
  }
  if (!ok) failed(s, c, sentStep(s), ok.message());
}

void Driver::failed(Session& s, Connection& c, const json& step, const std::string& why) {
  ++c.failedSteps;
  diverge(s, c, storeIdOf(step), "a step failed: " + why + " (step " + shortDump(step) + ")");
}

void Driver::fact(Session& s, Connection& c, const Observed& o) {
  ++c.facts;
  c.judge.library(o.kind, o.storeId, c.last);
  if (!o.instance) return;
  auto& live = c.instances[o.storeId];
  const auto at = std::lower_bound(live.begin(), live.end(), *o.instance,
                                   [](const auto& e, const std::string& id) { return e.first < id; });
  const bool known = at != live.end() && at->first == *o.instance;
  if (o.kind == FactKind::Created) {
    if (!live.empty()) {
      diverge(s, c, o.storeId,
              "the library has two live instances of " + shortDump(json(o.storeId)) + ": " +
                  instancesText(live, *o.instance, c.last));
    }
    if (known) {
      at->second = c.last;
    } else {
      live.insert(at, {*o.instance, c.last});
    }
  } else if (known) {
    live.erase(at);
  }
}

void Driver::watchModel(const Session& s) {
  const Registry& reg = s.registry();
  const auto& events = reg.events();
  const uint64_t fresh = reg.eventCount() - seenEvents_;
  seenEvents_ = reg.eventCount();
  const size_t begin = events.size() - static_cast<size_t>(std::min<uint64_t>(fresh, events.size()));
  for (size_t i = begin; i < events.size(); ++i) {
    const Event& e = events[i];
    const auto owner = owners_.find(e.registry);
    if (owner == owners_.end()) continue;
    Connection& c = connections_[owner->second];
    if (c.ended) continue;
    if (e.kind == EventKind::Disposed) {
      c.judge.model(FactKind::Disposed, reg.storeIdOf(e.store), e.t);
    } else if (e.kind == createdEvent(c.hello.library)) {
      c.judge.model(FactKind::Created, reg.storeIdOf(e.store), e.t);
    }
  }
}

void Driver::settle(Session& s, Connection& c, bool final) {
  for (const Divergence& d : c.judge.settle(c.last, final)) diverge(s, c, d.storeId, describe(d));
}

void Driver::diverge(Session& s, Connection& c, const std::string& storeId, const std::string& text) {
  Registry& reg = s.registry();
  const std::optional<StoreKey> key = storeId.empty() ? std::nullopt : reg.keyOf(storeId, c.index);
  reg.raiseAlert(c.index, key.value_or(kNoStore), kDivergence, text);
  ++c.divergences;
  divergences_.push_back(RaisedDivergence{reg.now(), c.index, key ? storeId : "", text});
}

std::unique_ptr<LiveHandler> Driver::clone() const { return std::make_unique<Driver>(*this); }

void installLiveHandler() {
  setLiveHandlerFactory([]() -> std::unique_ptr<LiveHandler> { return std::make_unique<Driver>(); });
}

json liveCommand(uint64_t connection, const json& message, const json& overrides) {
  return liveCommand(connection, json(message), overrides);
}

json liveCommand(uint64_t connection, json&& message, const json& overrides) {
  json body = json::object();
  body["connection"] = connection;
  body["message"] = std::move(message);
  if (!overrides.empty()) body["overrides"] = overrides;
  json command = json::object();
  command["live"] = std::move(body);
  return command;
}

const StepResult& runMessage(Session& s, uint64_t connection, Message&& m, const json& overrides) {
  const bool withOverrides = std::holds_alternative<Hello>(m.body) && !overrides.empty();
  if (m.text.empty())  // decoded from JSON (decodeParsed): the log keeps that JSON
    return s.run(liveCommand(connection, std::move(m.source), withOverrides ? overrides : json::object()));
  std::string text = std::move(m.text);
  return s.runLive(connection, std::move(text), &m.body, withOverrides ? overrides : json());
}

json liveEnd(uint64_t connection) { return json{{"live", json{{"connection", connection}, {"end", true}}}}; }

const Driver* driverOf(const Session& s) { return dynamic_cast<const Driver*>(s.liveHandler()); }

bool awaitsEnd(const Session& s, uint64_t connection) {
  const Driver* d = driverOf(s);
  if (d == nullptr) return false;
  const auto it = d->connections().find(connection);
  return it != d->connections().end() && !it->second.ended;
}

std::vector<uint64_t> unendedConnections(const Session& s) {
  std::vector<uint64_t> ids;
  if (const Driver* d = driverOf(s)) {
    for (const auto& [id, c] : d->connections())
      if (!c.ended) ids.push_back(id);
  }
  return ids;
}

}  // namespace si::live
