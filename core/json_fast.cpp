#include "json_fast.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>

#include "config.hpp"  // kMaxJsonDepth

namespace si {
namespace {

class FastReader {
 public:
  explicit FastReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool document(json& out) {
    skipSpace();
    if (!value(out, 0)) return false;
    skipSpace();
    return p_ == end_;
  }

 private:
  static constexpr size_t kIndexFrom = 16;  // as the full reader: past this, keys get an index
  static constexpr int kMaxUnsignedDigits = 19;  // every 19-digit number fits in uint64
  static constexpr int kMaxNegativeDigits = 18;  // every 18-digit number fits in int64

  void skipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  bool value(json& out, size_t depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return depth < kMaxJsonDepth && object(out, depth + 1);
      case '[': return depth < kMaxJsonDepth && array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't': return literal("true") && (out = true, true);
      case 'f': return literal("false") && (out = false, true);
      case 'n': return literal("null") && (out = nullptr, true);
      default: return number(out);
    }
  }

  // Integers only, and only where the type is plain: no "-0", no leading zeros, no digits
  // enough to reach the limits (the full reader turns those into floats).
  bool number(json& out) {
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    const char* first = p_;
    uint64_t v = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') v = v * 10 + static_cast<uint64_t>(*p_++ - '0');
    const auto digits = p_ - first;
    if (digits == 0 || (digits > 1 && *first == '0')) return false;
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    if (negative) {
      if (digits > kMaxNegativeDigits || v == 0) return false;
      out = -static_cast<int64_t>(v);
    } else {
      if (digits > kMaxUnsignedDigits) return false;
      out = v;
    }
    return true;
  }

  // Printable ASCII and the simple escapes; anything else is left to the full reader.
  bool string(std::string& s) {
    ++p_;  // the opening quote
    const char* run = p_;
    for (;;) {
      if (p_ == end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') break;
      if (c < 0x20 || c >= 0x80) return false;
      if (c != '\\') {
        ++p_;
        continue;
      }
      s.append(run, p_);
      if (++p_ == end_) return false;
      switch (*p_) {
        case '"': s += '"'; break;
        case '\\': s += '\\'; break;
        case '/': s += '/'; break;
        case 'b': s += '\b'; break;
        case 'f': s += '\f'; break;
        case 'n': s += '\n'; break;
        case 'r': s += '\r'; break;
        case 't': s += '\t'; break;
        default: return false;  // \u and invalid escapes
      }
      run = ++p_;
    }
    s.append(run, p_);
    ++p_;  // the closing quote
    return true;
  }

  bool array(json& out, size_t depth) {
    ++p_;
    out = json::array();
    auto& items = out.get_ref<json::array_t&>();
    skipSpace();
    if (p_ != end_ && *p_ == ']') return ++p_, true;
    for (;;) {
      skipSpace();
      if (!value(items.emplace_back(), depth)) return false;
      skipSpace();
      if (p_ == end_) return false;
      if (*p_ == ']') return ++p_, true;
      if (*p_++ != ',') return false;
    }
  }

  // A repeated key keeps its first position and takes its last value, as the full reader.
  bool object(json& out, size_t depth) {
    ++p_;
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    std::unordered_map<std::string, size_t> index;  // key -> position, past kIndexFrom keys
    skipSpace();
    if (p_ != end_ && *p_ == '}') return ++p_, true;
    for (;;) {
      skipSpace();
      std::string key;
      if (p_ == end_ || *p_ != '"' || !string(key)) return false;
      skipSpace();
      if (p_ == end_ || *p_++ != ':') return false;
      skipSpace();
      json* slot = slotFor(members, index, std::move(key));
      if (!value(*slot, depth)) return false;
      skipSpace();
      if (p_ == end_) return false;
      if (*p_ == '}') return ++p_, true;
      if (*p_++ != ',') return false;
    }
  }

  static json* slotFor(json::object_t& members, std::unordered_map<std::string, size_t>& index, std::string&& key) {
    size_t at = members.size();
    if (members.size() < kIndexFrom && index.empty()) {
      for (size_t i = 0; i < members.size(); ++i) {
        if (members.begin()[static_cast<std::ptrdiff_t>(i)].first == key) at = i;
      }
    } else {
      if (index.empty()) {
        for (size_t i = 0; i < members.size(); ++i) index.emplace(members.begin()[static_cast<std::ptrdiff_t>(i)].first, i);
      }
      at = index.try_emplace(key, members.size()).first->second;
    }
    if (at == members.size()) members.emplace_back(std::move(key), nullptr);
    return &members.begin()[static_cast<std::ptrdiff_t>(at)].second;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

bool parseJsonFast(std::string_view text, json& out) {
  json v;
  if (!FastReader(text).document(v)) return false;
  out = std::move(v);
  return true;
}

namespace {

template <typename T>
void appendNumber(std::string& out, char tag, T v) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  out += tag;
  out.append(buf, end);
  out += ';';
}

}  // namespace

void appendJsonStringKey(std::string_view s, std::string& out) {
  appendNumber(out, 's', s.size());  // by length: the bytes need no escaping
  out += s;
}

void appendJsonIntegerKey(int64_t v, std::string& out) { appendNumber(out, 'i', v); }

void appendJsonKey(const json& v, std::string& out) {
  switch (v.type()) {
    case json::value_t::object:
      out += '{';
      for (const auto& [k, member] : v.items()) {
        appendJsonStringKey(k, out);
        appendJsonKey(member, out);
      }
      out += '}';
      break;
    case json::value_t::array:
      out += '[';
      for (const json& e : v) appendJsonKey(e, out);
      out += ']';
      break;
    case json::value_t::string: appendJsonStringKey(v.get_ref<const std::string&>(), out); break;
    case json::value_t::number_integer: appendJsonIntegerKey(v.get<int64_t>(), out); break;
    case json::value_t::number_unsigned: appendNumber(out, 'i', v.get<uint64_t>()); break;  // dumps as 'i'
    case json::value_t::number_float: {
      const double d = v.get<double>();
      if (!std::isfinite(d)) {  // dump() writes null for these
        out += 'n';
        break;
      }
      uint64_t bits = 0;  // a double's shortest text is unique to its bits (and -0.0 is not 0.0)
      std::memcpy(&bits, &d, sizeof bits);
      appendNumber(out, 'f', bits);
      break;
    }
    case json::value_t::boolean: out += v.get<bool>() ? 't' : 'F'; break;
    case json::value_t::null: out += 'n'; break;
    default: out += v.dump(); break;  // binary, discarded: never read from JSON text
  }
}

}  // namespace si
