// The quick reader: a cursor over compact ASCII JSON that gives up at the first thing it is
// not sure of (the general reader then reads the message, errors and all).
#include "quick_reader.hpp"

namespace si::live {

namespace {

using Key = QuickStep::Key;

class Cursor {
 public:
  explicit Cursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool atEnd() const { return p_ == end_; }
  bool eat(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool peek(char c) const { return p_ != end_ && *p_ == c; }
  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  // "name": where the name is letters only (every key of the shapes read here).
  bool key(std::string_view& out) {
    if (!eat('"')) return false;
    const char* begin = p_;
    while (p_ != end_ && ((*p_ >= 'a' && *p_ <= 'z') || (*p_ >= 'A' && *p_ <= 'Z'))) ++p_;
    out = std::string_view(begin, static_cast<size_t>(p_ - begin));
    return eat('"') && eat(':');
  }

  // A string of printable ASCII; \" \\ and \/ are its only escapes (the others stand for
  // control characters, which no name read here may hold).
  bool string(std::string& out) {
    if (!eat('"')) return false;
    out.clear();
    for (;;) {
      const char* run = p_;
      while (p_ != end_ && *p_ != '"' && *p_ != '\\' && *p_ >= 0x20 && *p_ < 0x7F) ++p_;
      out.append(run, static_cast<size_t>(p_ - run));
      if (p_ == end_) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      if (*p_ != '\\' || end_ - p_ < 2) return false;
      const char e = p_[1];
      if (e != '"' && e != '\\' && e != '/') return false;
      out += e;
      p_ += 2;
    }
  }

  // 0 to kMaxTime, as JSON writes it (no sign, no leading zero, no fraction or exponent).
  bool count(int64_t& out) {
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0') {
      ++p_;
      out = 0;
      return p_ == end_ || (*p_ != '.' && *p_ != 'e' && *p_ != 'E' && (*p_ < '0' || *p_ > '9'));
    }
    int64_t v = 0;
    int digits = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      if (++digits > 16) return false;  // kMaxTime has 16 digits
      v = v * 10 + (*p_++ - '0');
    }
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    out = v;
    return v <= kMaxTime;
  }

 private:
  const char* p_;
  const char* end_;
};

bool hasControlCharacter(const std::string& s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

// The members of an object after its "{", each read by `member` (false: give up), to its "}".
template <class Member>
bool members(Cursor& in, Member&& member) {
  if (in.eat('}')) return true;
  do {
    std::string_view k;
    if (!in.key(k) || !member(k)) return false;
  } while (in.eat(','));
  return in.eat('}');
}

bool readAttach(Cursor& in, QuickStep& q) {
  q.kind = QuickStep::Kind::Attach;
  if (!in.eat('{')) return false;
  const auto take = [&](Key k) {
    if (q.has(k)) return false;  // a key given twice: the general reader knows which wins
    q.keys[q.keyCount++] = k;
    return true;
  };
  const bool ok = members(in, [&](std::string_view k) {
    if (k == "observer") return take(Key::Observer) && in.string(q.observer) && !q.observer.empty();
    if (k == "storeId") return take(Key::StoreId) && in.string(q.storeId) && !q.storeId.empty();
    if (k == "gcTime") return take(Key::GcTime) && in.count(q.gcTime);
    if (k == "adapter") return take(Key::Adapter) && in.literal("{\"type\":\"external\"}");
    return false;
  });
  return ok && q.has(Key::Observer) && q.has(Key::StoreId) && !hasControlCharacter(q.observer);
}

// {"attach": {...}}, {"detach": "o"} or {"loaded": "s"}, after "step":.
bool readStep(Cursor& in, QuickStep& q) {
  std::string_view action;
  if (!in.eat('{') || !in.key(action)) return false;
  bool ok = false;
  if (action == "attach") {
    ok = readAttach(in, q);
  } else if (action == "detach") {
    q.kind = QuickStep::Kind::Detach;
    ok = in.string(q.observer) && !q.observer.empty() && !hasControlCharacter(q.observer);
  } else if (action == "loaded") {
    q.kind = QuickStep::Kind::Loaded;
    ok = in.string(q.storeId);
  }
  return ok && in.eat('}');
}

// {"kind": "created" | "disposed", "storeId": "s", "instance": "i"?}, after "observed":.
bool readObserved(Cursor& in, Observed& o) {
  bool kind = false, id = false, instance = false;
  if (!in.eat('{')) return false;
  const bool ok = members(in, [&](std::string_view k) {
    if (k == "kind" && !kind) {
      kind = true;
      if (in.literal("\"created\"")) return o.kind = FactKind::Created, true;
      return in.literal("\"disposed\"") && (o.kind = FactKind::Disposed, true);
    }
    if (k == "storeId" && !id) return id = true, in.string(o.storeId) && !o.storeId.empty();
    if (k == "instance" && !instance) {
      instance = true;
      return in.string(o.instance.emplace()) && !o.instance->empty();
    }
    return false;
  });
  return ok && kind && id;
}

// What a message holds; the top-level keys are each read at most once.
struct Parts {
  bool v = false, t = false, step = false, observed = false, dropped = false;
  int64_t time = 0, lost = 0;
  QuickStep quick;
  Observed fact;
};

bool readTop(Cursor& in, std::string_view k, Parts& m) {
  if (k == "v" && !m.v) return m.v = true, in.eat('1') && (in.peek(',') || in.peek('}'));
  if (k == "t" && !m.t) return m.t = true, in.count(m.time);
  if (k == "step" && !m.step) return m.step = true, readStep(in, m.quick);
  if (k == "observed" && !m.observed) return m.observed = true, readObserved(in, m.fact);
  if (k == "dropped" && !m.dropped) return m.dropped = true, in.count(m.lost);
  return false;
}

}  // namespace

bool QuickStep::has(Key k) const {
  for (uint8_t i = 0; i < keyCount; ++i) {
    if (keys[i] == k) return true;
  }
  return false;
}

json QuickStep::toJson() const {
  json step = json::object();
  switch (kind) {
    case Kind::Detach: step["detach"] = observer; break;
    case Kind::Loaded: step["loaded"] = storeId; break;
    case Kind::Attach: {
      json& a = step["attach"] = json::object();
      for (uint8_t i = 0; i < keyCount; ++i) {
        switch (keys[i]) {
          case Key::Observer: a["observer"] = observer; break;
          case Key::StoreId: a["storeId"] = storeId; break;
          case Key::GcTime: a["gcTime"] = gcTime; break;
          case Key::Adapter: a["adapter"] = json{{"type", "external"}}; break;
        }
      }
      break;
    }
  }
  return step;
}

std::optional<Body> readQuick(std::string_view text) {
  Cursor in(text);
  Parts m;
  if (!in.eat('{') || !members(in, [&](std::string_view k) { return readTop(in, k, m); }) || !in.atEnd())
    return std::nullopt;
  if (!m.v || !m.t || (m.step + m.observed + m.dropped) > 1) return std::nullopt;
  if (m.step) return Body{Step{m.time, json(), std::move(m.quick)}};
  if (m.observed) {
    m.fact.t = m.time;
    return Body{std::move(m.fact)};
  }
  return Body{Heartbeat{m.time, m.dropped ? std::optional<int64_t>(m.lost) : std::nullopt}};
}

bool sameBody(const Body& a, const Body& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<Hello>(&a)) {
    const Hello& y = std::get<Hello>(b);
    return x->app == y.app && x->library == y.library && x->libraryVersion == y.libraryVersion &&
           x->policy == y.policy && x->environment == y.environment &&
           x->defaultOptions == y.defaultOptions && x->toleranceMs == y.toleranceMs;
  }
  if (const auto* x = std::get_if<Step>(&a)) {
    const Step& y = std::get<Step>(b);
    return x->t == y.t && x->stepJson() == y.stepJson();
  }
  if (const auto* x = std::get_if<Observed>(&a)) {
    const Observed& y = std::get<Observed>(b);
    return x->t == y.t && x->kind == y.kind && x->storeId == y.storeId && x->instance == y.instance;
  }
  const Heartbeat& x = std::get<Heartbeat>(a);
  const Heartbeat& y = std::get<Heartbeat>(b);
  return x.t == y.t && x.dropped == y.dropped;
}

}  // namespace si::live
