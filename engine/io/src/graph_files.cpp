#include "qap/io/graph_files.hpp"

#include <expat.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <type_traits>
#include <utility>

#include "expat_callbacks.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/number_format.hpp"
#include "qap/core/numeric.hpp"
#include "qap/core/text.hpp"

namespace qap {

namespace {

std::string Quote(const std::string& text) { return "\"" + text + "\""; }

// ---------------------------------------------------------------------------
// What both formats reduce to: nodes, edges with attribute values, and the
// attributes; Build turns them into matrices under the rules in the header.

struct Where {
  std::size_t line = 0;
  std::size_t column = 0;
};

struct NodeRecord {
  std::string id;
  std::optional<std::string> label;
  std::optional<std::string> name;
  Where at;
};

struct EdgeRecord {
  std::string source;
  std::string target;
  bool directed = true;
  std::map<std::size_t, double> values;  // attribute index -> value (NaN: missing)
  Where at;
};

struct AttributeRecord {
  std::string name;
  bool numeric = false;
  bool used = false;                    // some edge carries it (or it is declared for edges)
  std::optional<double> default_value;  // GraphML <default>
};

struct Graph {
  std::vector<NodeRecord> nodes;
  std::vector<EdgeRecord> edges;
  std::vector<AttributeRecord> attributes;
};

// Cytoscape gives every edge its session-unique object id as a long.
bool IsIdentifier(const std::string& name) { return name == "SUID"; }

// A numeric attribute's value: NaN for the missing spellings, else a finite number.
std::optional<double> NumericValue(std::string_view raw) {
  const std::string_view text = Trim(raw);
  if (text.empty() || text == "NaN" || text == "nan" || text == "NAN" || text == "NA") return kNaN;
  return ParseFiniteNumber(text);
}

void CheckNodeCount(std::size_t count, std::size_t max_nodes, const std::string& source, Where at) {
  if (count > max_nodes) {
    throw InputError(
        {source, at.line, at.column, 0},
        "more than " + std::to_string(max_nodes) + " nodes: more than a dense matrix here allows");
  }
}

// Labels: `label` when every node has a distinct non-empty one, else `name`
// on the same condition, else the ids (distinct by then).
std::vector<std::string> ChooseLabels(const Graph& graph) {
  const auto distinct = [&](auto member) -> std::optional<std::vector<std::string>> {
    std::vector<std::string> labels;
    std::set<std::string> seen;
    for (const NodeRecord& node : graph.nodes) {
      const std::optional<std::string>& value = node.*member;
      if (!value || value->empty() || !seen.insert(*value).second) return std::nullopt;
      labels.push_back(*value);
    }
    return labels;
  };
  if (auto labels = distinct(&NodeRecord::label)) return *labels;
  if (auto labels = distinct(&NodeRecord::name)) return *labels;
  std::vector<std::string> ids;
  ids.reserve(graph.nodes.size());
  for (const NodeRecord& node : graph.nodes) ids.push_back(node.id);
  return ids;
}

std::string NumericNames(const Graph& graph) {
  std::string names;
  for (const AttributeRecord& a : graph.attributes) {
    if (a.numeric && a.used && !IsIdentifier(a.name))
      names += (names.empty() ? "" : ", ") + Quote(a.name);
  }
  return names;
}

std::vector<LabelledMatrix> Build(const Graph& graph, const std::string& source,
                                  const GraphReadOptions& options) {
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < graph.nodes.size(); ++k) {
    const NodeRecord& node = graph.nodes[k];
    if (const auto [it, inserted] = index.emplace(node.id, k); !inserted) {
      throw InputError({source, node.at.line, node.at.column, 0},
                       "node id " + Quote(node.id) + " is given twice (lines " +
                           std::to_string(graph.nodes[it->second].at.line) + " and " +
                           std::to_string(node.at.line) + ")");
    }
  }
  if (graph.nodes.empty()) throw InputError({source, 0, 0, 0}, "the graph has no nodes");
  // The matrices: one per numeric edge attribute, or the single one asked for.
  std::vector<std::optional<std::size_t>> chosen;  // attribute index; nullopt: 1 per edge
  if (options.attribute) {
    std::optional<std::size_t> found;
    for (std::size_t a = 0; a < graph.attributes.size(); ++a) {
      if (graph.attributes[a].name == *options.attribute && graph.attributes[a].used) found = a;
    }
    const std::string present = NumericNames(graph);
    if (!found || !graph.attributes[*found].numeric || IsIdentifier(*options.attribute)) {
      throw InputError({source, 0, 0, 0},
                       "no numeric edge attribute " + Quote(*options.attribute) +
                           (found ? " (its values are not numbers)" : "") +
                           (present.empty() ? std::string("; the edges have no numeric attribute")
                                            : "; the numeric edge attributes are " + present));
    }
    chosen.emplace_back(found);
  } else {
    for (std::size_t a = 0; a < graph.attributes.size(); ++a) {
      const AttributeRecord& attribute = graph.attributes[a];
      if (attribute.numeric && attribute.used && !IsIdentifier(attribute.name))
        chosen.emplace_back(a);
    }
    if (chosen.empty()) chosen.emplace_back(std::nullopt);
  }
  const std::vector<std::string> labels = ChooseLabels(graph);
  const auto size = static_cast<Eigen::Index>(graph.nodes.size());
  const double absent = options.absent_edge == AbsentEdge::kZero ? 0.0 : kNaN;
  std::vector<LabelledMatrix> out(chosen.size());
  for (std::size_t m = 0; m < chosen.size(); ++m) {
    out[m].name = chosen[m] ? graph.attributes[*chosen[m]].name : std::string();
    out[m].source = source;
    out[m].labels = labels;
    out[m].values = DyadMatrix::Constant(size, size, absent);
  }
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> line_of;
  for (const EdgeRecord& edge : graph.edges) {
    const auto node = [&](const std::string& id, const char* end) {
      const auto it = index.find(id);
      if (it == index.end()) {
        throw InputError({source, edge.at.line, edge.at.column, 0},
                         std::string("the edge's ") + end + " " + Quote(id) +
                             " is not the id of a node in the graph");
      }
      return it->second;
    };
    const std::size_t a = node(edge.source, "source");
    const std::size_t b = node(edge.target, "target");
    const auto claim = [&](std::size_t from, std::size_t to) {
      if (const auto [it, inserted] = line_of.emplace(std::pair{from, to}, edge.at.line);
          !inserted) {
        throw InputError({source, edge.at.line, edge.at.column, 0},
                         "duplicate edge " + Quote(labels[from]) + " -> " + Quote(labels[to]) +
                             " (lines " + std::to_string(it->second) + " and " +
                             std::to_string(edge.at.line) +
                             "): give each tie once (multigraphs are not read)");
      }
    };
    claim(a, b);
    if (!edge.directed && a != b) claim(b, a);
    for (std::size_t m = 0; m < chosen.size(); ++m) {
      double value = 1.0;
      if (chosen[m]) {
        const auto it = edge.values.find(*chosen[m]);
        value = it != edge.values.end() ? it->second
                                        : graph.attributes[*chosen[m]].default_value.value_or(kNaN);
      }
      const auto i = static_cast<Eigen::Index>(a);
      const auto j = static_cast<Eigen::Index>(b);
      out[m].values(i, j) = value;
      if (!edge.directed) out[m].values(j, i) = value;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// GraphML: expat with namespaces resolved ("uri|local"), DTDs refused, as in
// xlsx_reader.cpp. Handler code may throw; expat is C, so an exception is
// caught in the callback, parsing stopped, and it is rethrown afterwards.

constexpr std::string_view kGraphmlNamespace = "http://graphml.graphdrawing.org/xmlns";

// The local name of a GraphML element; empty for another vocabulary's (yEd's y:, for one).
std::string_view GraphmlName(const XML_Char* name) {
  const std::string_view full(name);
  const auto bar = full.rfind('|');
  if (bar == std::string_view::npos) return full;
  return full.substr(0, bar) == kGraphmlNamespace ? full.substr(bar + 1) : std::string_view();
}

const XML_Char* Attribute(const XML_Char** attributes, std::string_view name) {
  for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
    if (std::string_view(attributes[i]) == name) return attributes[i + 1];
  }
  return nullptr;
}

struct KeyRecord {
  std::string domain;  // for=: node, edge, graph, all, ...
  std::string name;    // attr.name (the id when absent)
  std::string type;    // attr.type
  std::size_t line = 0;
  std::optional<std::size_t> attribute;  // index in Graph::attributes (edge keys)
};

class GraphmlHandler {
 public:
  GraphmlHandler(const std::string& source, const GraphReadOptions& options)
      : source_(source), options_(options) {}

  XML_Parser parser = nullptr;
  std::exception_ptr error;
  Graph graph;

  [[nodiscard]] Where Here() const {
    return {static_cast<std::size_t>(XML_GetCurrentLineNumber(parser)),
            static_cast<std::size_t>(XML_GetCurrentColumnNumber(parser)) + 1};
  }
  [[nodiscard]] InputError Refuse(Where at, const std::string& message) const {
    return {{source_, at.line, at.column, 0}, message};
  }

  void Start(std::string_view name, const XML_Char** attributes) {
    const Where at = Here();
    ++depth_;
    if (depth_ == 1 && name != "graphml") {
      throw Refuse(at, "not a GraphML file: the first element is <" +
                           std::string(name.empty() ? "(another vocabulary's)" : name) +
                           ">, not <graphml>");
    }
    if (collecting_) return;  // markup inside <data> or <default> (yEd's, say)
    if (name == "key") {
      StartKey(attributes, at);
    } else if (name == "default" && in_key_) {
      collecting_ = true;
      text_.clear();
      collect_depth_ = depth_;
    } else if (name == "graph") {
      if (graphs_ > 0) {
        throw Refuse(at, graph_depth_ > 0 ? "a graph nested in a node: nested graphs are not read"
                                          : "a second <graph>: read one graph per file");
      }
      ++graphs_;
      graph_depth_ = depth_;
      const XML_Char* edge_default = Attribute(attributes, "edgedefault");
      const std::string value = edge_default != nullptr ? edge_default : "directed";
      if (value != "directed" && value != "undirected") {
        throw Refuse(at,
                     "edgedefault=" + Quote(value) + " is neither \"directed\" nor \"undirected\"");
      }
      directed_ = value == "directed";
    } else if (name == "node" && graph_depth_ > 0) {
      const XML_Char* id = Attribute(attributes, "id");
      if (id == nullptr) throw Refuse(at, "a <node> without an id");
      CheckNodeCount(graph.nodes.size() + 1, options_.max_nodes, source_, at);
      graph.nodes.push_back({id, std::nullopt, std::nullopt, at});
      element_ = Element::kNode;
    } else if (name == "edge" && graph_depth_ > 0) {
      const XML_Char* from = Attribute(attributes, "source");
      const XML_Char* to = Attribute(attributes, "target");
      if (from == nullptr || to == nullptr) throw Refuse(at, "an <edge> needs source and target");
      bool directed = directed_;
      if (const XML_Char* own = Attribute(attributes, "directed")) {
        const std::string value(own);
        if (value != "true" && value != "false") {
          throw Refuse(at, "directed=" + Quote(value) + " is neither \"true\" nor \"false\"");
        }
        directed = value == "true";
      }
      graph.edges.push_back({from, to, directed, {}, at});
      element_ = Element::kEdge;
    } else if (name == "hyperedge") {
      throw Refuse(at, "a <hyperedge>: hyperedges have no place in a dyadic matrix");
    } else if (name == "data" && element_ != Element::kNone) {
      const XML_Char* key = Attribute(attributes, "key");
      if (key == nullptr) throw Refuse(at, "a <data> without a key");
      // Cytoscape gives node, edge and graph keys of one attribute the same
      // id, so a key is its id and domain.
      auto it = keys_.find({key, element_ == Element::kNode ? "node" : "edge"});
      if (it == keys_.end()) it = keys_.find({key, "all"});
      if (it == keys_.end()) {
        throw Refuse(at, "<data key=" + Quote(key) + ">: no <key for=" +
                             Quote(element_ == Element::kNode ? "node" : "edge") +
                             "> (or for=\"all\") declares " + Quote(key));
      }
      data_key_ = &it->second;
      data_at_ = at;
      collecting_ = true;
      text_.clear();
      collect_depth_ = depth_;
    }
  }

  void End(std::string_view name) {
    if (collecting_ && depth_ == collect_depth_) {
      collecting_ = false;
      if (in_key_) {
        EndDefault();
      } else {
        EndData();
      }
    } else if (!collecting_) {
      if (name == "key") in_key_ = false;
      if (name == "graph" && depth_ == graph_depth_) graph_depth_ = 0;
      if (name == "node" || name == "edge") element_ = Element::kNone;
    }
    --depth_;
  }

  void Text(std::string_view text) {
    if (collecting_) {
      if (text_.size() + text.size() > kMaxValue) {
        throw Refuse(Here(), "a <data> value longer than " + std::to_string(kMaxValue) + " bytes");
      }
      text_ += text;
    }
  }

  void Finish() {
    if (graphs_ == 0) throw Refuse({}, "the GraphML file holds no <graph>");
  }

 private:
  enum class Element { kNone, kNode, kEdge };
  static constexpr std::size_t kMaxValue = std::size_t{1} << 20;

  void StartKey(const XML_Char** attributes, Where at) {
    const XML_Char* id = Attribute(attributes, "id");
    if (id == nullptr) throw Refuse(at, "a <key> without an id");
    const XML_Char* domain = Attribute(attributes, "for");
    const XML_Char* name = Attribute(attributes, "attr.name");
    const XML_Char* type = Attribute(attributes, "attr.type");
    KeyRecord key{domain != nullptr ? domain : "all", name != nullptr ? name : id,
                  type != nullptr ? type : "string", at.line, std::nullopt};
    if (key.domain == "edge" || key.domain == "all") {
      const bool numeric =
          key.type == "int" || key.type == "long" || key.type == "float" || key.type == "double";
      // networkx declares one key per Python type of an attribute (weight as
      // long for 2, as double for 1.5): numeric keys of one name are one attribute.
      const auto same = std::find_if(
          graph.attributes.begin(), graph.attributes.end(),
          [&](const AttributeRecord& a) { return numeric && a.numeric && a.name == key.name; });
      if (same != graph.attributes.end()) {
        key.attribute = static_cast<std::size_t>(same - graph.attributes.begin());
      } else {
        key.attribute = graph.attributes.size();
        graph.attributes.push_back({key.name, numeric, key.domain == "edge", std::nullopt});
      }
    }
    const std::pair<std::string, std::string> identity{id, key.domain};
    if (const auto [it, inserted] = keys_.emplace(identity, key); !inserted) {
      throw Refuse(at, "<key id=" + Quote(id) + " for=" + Quote(key.domain) +
                           "> is declared twice (lines " + std::to_string(it->second.line) +
                           " and " + std::to_string(at.line) + ")");
    }
    current_key_ = &keys_.find(identity)->second;
    in_key_ = true;
  }

  void EndDefault() {
    if (!current_key_->attribute) return;
    AttributeRecord& attribute = graph.attributes[*current_key_->attribute];
    if (!attribute.numeric) return;
    const auto value = NumericValue(text_);
    if (!value) {
      throw Refuse(Here(), "the default of " + Quote(attribute.name) + ", " +
                               Quote(std::string(Trim(text_))) + ", is not a finite number");
    }
    attribute.default_value = *value;
  }

  void EndData() {
    const KeyRecord& key = *data_key_;
    if (element_ == Element::kNode) {
      if (key.domain != "node" && key.domain != "all") return;
      NodeRecord& node = graph.nodes.back();
      if (key.name == "label") node.label = std::string(Trim(text_));
      if (key.name == "name") node.name = std::string(Trim(text_));
      return;
    }
    if (!key.attribute) return;  // a node or graph key on an edge: not an edge attribute
    AttributeRecord& attribute = graph.attributes[*key.attribute];
    attribute.used = true;
    if (!attribute.numeric) return;
    const auto value = NumericValue(text_);
    if (!value) {
      throw Refuse(data_at_, "the edge's " + Quote(attribute.name) + " is " +
                                 Quote(std::string(Trim(text_))) + ", not a finite number (" +
                                 Quote(attribute.name) + " is declared " + key.type + ")");
    }
    graph.edges.back().values[*key.attribute] = *value;
  }

  const std::string& source_;
  const GraphReadOptions& options_;
  std::map<std::pair<std::string, std::string>, KeyRecord> keys_;  // (id, for) -> key
  KeyRecord* current_key_ = nullptr;
  KeyRecord* data_key_ = nullptr;
  Where data_at_;
  std::size_t depth_ = 0;
  std::size_t graphs_ = 0;
  std::size_t graph_depth_ = 0;
  bool directed_ = true;
  bool in_key_ = false;
  bool collecting_ = false;
  std::size_t collect_depth_ = 0;
  std::string text_;
  Element element_ = Element::kNone;
};

template <typename Call>
void Guarded(void* data, Call&& call) {
  detail::GuardedXmlCallback<GraphmlHandler>(data, std::forward<Call>(call));
}

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** attributes) {
  Guarded(data, [&](GraphmlHandler& h) { h.Start(GraphmlName(name), attributes); });
}
void XMLCALL OnEnd(void* data, const XML_Char* name) {
  Guarded(data, [&](GraphmlHandler& h) { h.End(GraphmlName(name)); });
}
void XMLCALL OnText(void* data, const XML_Char* text, int length) {
  Guarded(data, [&](GraphmlHandler& h) {
    h.Text(std::string_view(text, static_cast<std::size_t>(length)));
  });
}
void XMLCALL OnDoctype(void* data, const XML_Char* /*name*/, const XML_Char* /*system_id*/,
                       const XML_Char* /*public_id*/, int /*has_internal_subset*/) {
  Guarded(data, [&](GraphmlHandler& h) {
    throw h.Refuse(h.Here(),
                   "a DOCTYPE declaration, which GraphML does not use (entity declarations in "
                   "one are how entity-expansion attacks work); refusing the file");
  });
}

struct ParserFree {
  void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};

// ---------------------------------------------------------------------------
// GML: a tokenizer with line and column, and a parser without recursion that
// builds a tree at most kMaxGmlDepth lists deep.

constexpr std::size_t kMaxGmlDepth = 32;

struct GmlItem {
  enum class Kind { kNumber, kString, kWord, kList };
  std::string key;
  Kind kind = Kind::kWord;
  std::string text;  // the token as written (strings decoded)
  double number = 0.0;
  Where at;      // of the value
  Where key_at;  // of the key
  std::vector<GmlItem> list;
};

void AppendUtf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// &amp; &quot; &lt; &gt; &apos; and numeric references; anything else stays as written.
std::string DecodeEntities(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t semicolon = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out += text[i++];
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semicolon - i - 1);
    std::optional<std::uint32_t> code;
    if (entity == "amp") code = '&';
    if (entity == "quot") code = '"';
    if (entity == "lt") code = '<';
    if (entity == "gt") code = '>';
    if (entity == "apos") code = '\'';
    if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      std::uint32_t value = 0;
      const auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 10);
      if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty() &&
          value > 0 && value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF)) {
        code = value;
      }
    }
    if (!code) {
      out += text[i++];
      continue;
    }
    AppendUtf8(out, *code);
    i = semicolon + 1;
  }
  return out;
}

class GmlLexer {
 public:
  enum class Token { kEnd, kOpen, kClose, kString, kBare };
  GmlLexer(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") Advance(3);
  }

  // The next token; `text` holds a string's (undecoded) contents or a bare token.
  Token Next(std::string_view& text, Where& at) {
    SkipBlanks();
    at = {line_, column_};
    if (pos_ >= text_.size()) return Token::kEnd;
    const char c = text_[pos_];
    if (c == '[' || c == ']') {
      Advance(1);
      return c == '[' ? Token::kOpen : Token::kClose;
    }
    if (c == '"') {
      const std::size_t close = text_.find('"', pos_ + 1);
      if (close == std::string_view::npos) {
        throw InputError({source_, at.line, at.column, 0},
                         "the string opened here is not closed (no second \")");
      }
      text = text_.substr(pos_ + 1, close - pos_ - 1);
      Advance(close + 1 - pos_);
      return Token::kString;
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() && !IsBlank(text_[pos_]) && text_[pos_] != '[' &&
           text_[pos_] != ']' && text_[pos_] != '"') {
      Advance(1);
    }
    text = text_.substr(start, pos_ - start);
    return Token::kBare;
  }

 private:
  static bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  void Advance(std::size_t count) {
    for (std::size_t k = 0; k < count && pos_ < text_.size(); ++k, ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }

  void SkipBlanks() {
    while (pos_ < text_.size()) {
      if (IsBlank(text_[pos_])) {
        Advance(1);
      } else if (text_[pos_] == '#') {  // a comment to the end of the line
        while (pos_ < text_.size() && text_[pos_] != '\n') Advance(1);
      } else {
        break;
      }
    }
  }

  std::string_view text_;
  std::string source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t column_ = 1;
};

bool IsKey(std::string_view token) {
  if (token.empty()) return false;
  const char c = token.front();
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

std::vector<GmlItem> ParseGmlTree(std::string_view text, const std::string& source) {
  GmlLexer lexer(text, source);
  std::vector<GmlItem> top;
  std::vector<std::vector<GmlItem>*> stack{&top};
  std::vector<Where> opened;  // where each open list's "[" is
  std::string_view token;
  Where at;
  for (;;) {
    GmlLexer::Token kind = lexer.Next(token, at);
    if (kind == GmlLexer::Token::kEnd) break;
    if (kind == GmlLexer::Token::kClose) {
      if (stack.size() == 1) {
        throw InputError({source, at.line, at.column, 0}, "a \"]\" that closes no list");
      }
      stack.pop_back();
      opened.pop_back();
      continue;
    }
    if (kind != GmlLexer::Token::kBare || !IsKey(token)) {
      throw InputError(
          {source, at.line, at.column, 0},
          "expected a key (a name such as node, edge or weight), found " +
              (kind == GmlLexer::Token::kOpen ? std::string("\"[\"") : Quote(std::string(token))));
    }
    GmlItem item;
    item.key = std::string(token);
    const Where key_at = at;
    item.key_at = key_at;
    kind = lexer.Next(token, at);
    item.at = at;
    switch (kind) {
      case GmlLexer::Token::kEnd:
      case GmlLexer::Token::kClose:
        throw InputError({source, key_at.line, key_at.column, 0},
                         "the key " + Quote(item.key) + " has no value");
      case GmlLexer::Token::kString:
        item.kind = GmlItem::Kind::kString;
        item.text = DecodeEntities(token);
        break;
      case GmlLexer::Token::kBare:
        item.text = std::string(token);
        if (const auto number = ParseFiniteNumber(token)) {
          item.kind = GmlItem::Kind::kNumber;
          item.number = *number;
        }
        break;
      case GmlLexer::Token::kOpen:
        item.kind = GmlItem::Kind::kList;
        break;
    }
    stack.back()->push_back(std::move(item));
    if (kind == GmlLexer::Token::kOpen) {
      if (stack.size() > kMaxGmlDepth) {
        throw InputError({source, at.line, at.column, 0},
                         "lists nested more than " + std::to_string(kMaxGmlDepth) + " deep");
      }
      stack.push_back(&stack.back()->back().list);
      opened.push_back(at);
    }
  }
  if (!opened.empty()) {
    throw InputError({source, opened.back().line, opened.back().column, 0},
                     "the list opened here is not closed (a \"]\" is missing)");
  }
  return top;
}

// A node id or an edge end as text: the token as written.
std::optional<std::string> Scalar(const GmlItem& item) {
  if (item.kind == GmlItem::Kind::kList) return std::nullopt;
  return item.text;
}

Graph GmlGraph(const std::vector<GmlItem>& top, const std::string& source,
               const GraphReadOptions& options) {
  const GmlItem* graph_item = nullptr;
  for (const GmlItem& item : top) {
    if (item.key != "graph") continue;
    if (item.kind != GmlItem::Kind::kList) {
      throw InputError({source, item.at.line, item.at.column, 0},
                       "\"graph\" must be a list: graph [ ... ]");
    }
    if (graph_item != nullptr) {
      throw InputError({source, item.at.line, item.at.column, 0},
                       "a second graph (the first is on line " +
                           std::to_string(graph_item->at.line) + "): read one graph per file");
    }
    graph_item = &item;
  }
  if (graph_item == nullptr) throw InputError({source, 0, 0, 0}, "no graph [ ... ] in the file");
  const auto flag = [&](const GmlItem& item) {
    if (item.kind != GmlItem::Kind::kNumber || (item.number != 0.0 && item.number != 1.0)) {
      throw InputError({source, item.at.line, item.at.column, 0},
                       Quote(item.key) + " must be 0 or 1, got " + Quote(item.text));
    }
    return item.number == 1.0;
  };
  bool directed = false;
  for (const GmlItem& item : graph_item->list) {
    if (item.key == "directed") directed = flag(item);
  }
  Graph graph;
  std::map<std::string, std::size_t> attribute_index;
  // The first number given for each attribute, and values that are not numbers.
  std::vector<std::optional<Where>> first_number;
  std::vector<std::pair<std::size_t, const GmlItem*>> not_numbers;
  for (const GmlItem& item : graph_item->list) {
    if ((item.key == "node" || item.key == "edge") && item.kind != GmlItem::Kind::kList) {
      throw InputError({source, item.at.line, item.at.column, 0},
                       Quote(item.key) + " must be a list: " + item.key + " [ ... ]");
    }
    if (item.key == "node") {
      NodeRecord node;
      node.at = item.key_at;
      bool has_id = false;
      for (const GmlItem& field : item.list) {
        if (field.key == "id" && !has_id) {
          const auto id = Scalar(field);
          if (!id) {
            throw InputError({source, field.at.line, field.at.column, 0}, "a list as a node id");
          }
          node.id = *id;
          has_id = true;
        } else if (field.key == "label" && !node.label) {
          node.label = Scalar(field);
        } else if (field.key == "name" && !node.name) {
          node.name = Scalar(field);
        }
      }
      if (!has_id) {
        throw InputError({source, item.key_at.line, item.key_at.column, 0}, "a node without an id");
      }
      CheckNodeCount(graph.nodes.size() + 1, options.max_nodes, source, item.key_at);
      graph.nodes.push_back(std::move(node));
    } else if (item.key == "edge") {
      EdgeRecord edge;
      edge.at = item.key_at;
      edge.directed = directed;
      std::optional<std::string> from;
      std::optional<std::string> to;
      std::set<std::string> seen;
      for (const GmlItem& field : item.list) {
        if (field.key == "source" || field.key == "target") {
          std::optional<std::string>& end = field.key == "source" ? from : to;
          if (end) {
            throw InputError({source, field.at.line, field.at.column, 0},
                             "the edge gives " + field.key + " twice");
          }
          end = Scalar(field);
          if (!end) {
            throw InputError({source, field.at.line, field.at.column, 0},
                             "a list as an edge's " + field.key);
          }
          continue;
        }
        if (field.key == "directed") {
          edge.directed = flag(field);
          continue;
        }
        if (field.key == "id" || field.key == "key") continue;
        if (!seen.insert(field.key).second) {
          throw InputError({source, field.at.line, field.at.column, 0},
                           "the edge gives " + Quote(field.key) + " twice");
        }
        auto [it, inserted] = attribute_index.emplace(field.key, graph.attributes.size());
        if (inserted) {
          graph.attributes.push_back({field.key, false, true, std::nullopt});
          first_number.emplace_back();
        }
        const std::size_t a = it->second;
        if (field.kind == GmlItem::Kind::kNumber) {
          graph.attributes[a].numeric = true;
          if (!first_number[a]) first_number[a] = field.at;
          edge.values[a] = field.number;
        } else if (field.kind == GmlItem::Kind::kWord && NumericValue(field.text) &&
                   !IsObserved(*NumericValue(field.text))) {
          edge.values[a] = kNaN;  // NaN / NA: missing
        } else {
          not_numbers.emplace_back(a, &field);
        }
      }
      if (!from || !to) {
        throw InputError({source, item.key_at.line, item.key_at.column, 0},
                         "an edge needs a source and a target");
      }
      edge.source = *from;
      edge.target = *to;
      graph.edges.push_back(std::move(edge));
    }
  }
  for (const auto& [a, field] : not_numbers) {
    if (!graph.attributes[a].numeric) continue;
    throw InputError(
        {source, field->at.line, field->at.column, 0},
        "the edge's " + Quote(field->key) + " is " +
            (field->kind == GmlItem::Kind::kList ? std::string("a list") : Quote(field->text)) +
            ", not a finite number (other edges give numbers, as on line " +
            std::to_string(first_number[a]->line) + ")");
  }
  return graph;
}

std::string_view SkipBomAndBlanks(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const auto first = text.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

}  // namespace

std::vector<LabelledMatrix> ParseGraphml(std::string_view text, const std::string& source,
                                         const GraphReadOptions& options) {
  GraphmlHandler handler(source, options);
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree> parser(
      XML_ParserCreateNS(nullptr, '|'));
  if (!parser) throw std::bad_alloc();
  handler.parser = parser.get();
  XML_SetUserData(parser.get(), &handler);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
  constexpr std::size_t kChunk = std::size_t{1} << 30;  // XML_Parse takes an int length
  std::size_t at = 0;
  do {
    const std::size_t length = std::min(kChunk, text.size() - at);
    const bool last = at + length == text.size();
    const XML_Status status = XML_Parse(parser.get(), text.data() + at, static_cast<int>(length),
                                        last ? XML_TRUE : XML_FALSE);
    if (handler.error) std::rethrow_exception(handler.error);
    if (status != XML_STATUS_OK) {
      throw handler.Refuse(
          handler.Here(),
          std::string("malformed XML (") + XML_ErrorString(XML_GetErrorCode(parser.get())) + ")");
    }
    at += length;
  } while (at < text.size());
  handler.Finish();
  handler.parser = nullptr;
  return Build(handler.graph, source, options);
}

std::vector<LabelledMatrix> ParseGml(std::string_view text, const std::string& source,
                                     const GraphReadOptions& options) {
  const std::vector<GmlItem> top = ParseGmlTree(text, source);
  return Build(GmlGraph(top, source, options), source, options);
}

bool LooksLikeGraphml(std::string_view text) {
  text = SkipBomAndBlanks(text);
  if (text.empty() || text.front() != '<') return false;
  // The first element after the XML declaration, comments and processing instructions.
  const std::string_view head = text.substr(0, 4096);
  std::size_t at = 0;
  while ((at = head.find('<', at)) != std::string_view::npos && at + 1 < head.size()) {
    if (head[at + 1] == '?' || head[at + 1] == '!') {
      ++at;
      continue;
    }
    std::string_view name = head.substr(at + 1);
    name = name.substr(0, name.find_first_of(" \t\r\n/>"));
    const auto colon = name.find(':');
    if (colon != std::string_view::npos) name.remove_prefix(colon + 1);
    return name == "graphml";
  }
  return false;
}

bool LooksLikeGml(std::string_view text) {
  // Comment lines, then key-value pairs (igraph: Creator "...", Version 1) up to "graph [".
  GmlLexer lexer(text.substr(0, 4096), "");
  std::string_view token;
  Where at;
  try {
    for (int pairs = 0; pairs < 16; ++pairs) {
      if (lexer.Next(token, at) != GmlLexer::Token::kBare || !IsKey(token)) return false;
      const bool graph = token == "graph";
      const GmlLexer::Token value = lexer.Next(token, at);
      if (graph) return value == GmlLexer::Token::kOpen;
      if (value != GmlLexer::Token::kBare && value != GmlLexer::Token::kString) return false;
    }
  } catch (const InputError&) {
    return false;
  }
  return false;
}

}  // namespace qap
