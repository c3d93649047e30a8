#include "route_table.h"

#include <set>

namespace ss::gateway {

struct RouteTable::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> single;
  // A "**" child: matches every remaining segment, so it is always a leaf.
  std::unique_ptr<Node> multi;
  std::map<std::string, std::size_t, std::less<>> methods;
};

namespace {

using Node = RouteTable::Node;

// Calls visit(node) on every leaf that matches segments[index..], literal children first; "**"
// takes one segment or more.
// Stops as soon as visit returns true.
template <typename Visit>
bool Walk(const Node& node, const PathSegments& segments, std::size_t index, Visit& visit) {
  if (index == segments.size()) {
    if (visit(node))
      return true;
  } else {
    const auto literal = node.literals.find(segments[index]);
    if (literal != node.literals.end() && Walk(*literal->second, segments, index + 1, visit)) {
      return true;
    }
    if (node.single && !segments[index].empty() && Walk(*node.single, segments, index + 1, visit)) {
      return true;
    }
  }
  return node.multi && index < segments.size() && visit(*node.multi);
}

}  // namespace

RouteTable::RouteTable() : root_(std::make_unique<Node>()) {}
RouteTable::~RouteTable() = default;
RouteTable::RouteTable(RouteTable&&) noexcept = default;
RouteTable& RouteTable::operator=(RouteTable&&) noexcept = default;

void RouteTable::Add(const PathTemplate& path, std::string_view http_method, std::size_t route) {
  Node* node = root_.get();
  for (const auto& segment : path.segments) {
    std::unique_ptr<Node>* child = nullptr;
    switch (segment.kind) {
      case PathSegment::Kind::kLiteral:
        child = &node->literals[segment.literal];
        break;
      case PathSegment::Kind::kSingle:
        child = &node->single;
        break;
      case PathSegment::Kind::kMulti:
        child = &node->multi;
        break;
    }
    if (!*child)
      *child = std::make_unique<Node>();
    node = child->get();
  }
  if (!node->methods.emplace(std::string(http_method), route).second) {
    throw TemplateError("two routes for " + std::string(http_method) + " " + path.openapi_path);
  }
}

RouteMatch RouteTable::Find(std::string_view http_method, const PathSegments& segments) const {
  RouteMatch match;
  auto visit = [&](const Node& leaf) {
    if (leaf.methods.empty())
      return false;
    const auto found = leaf.methods.find(http_method);
    if (found == leaf.methods.end()) {
      match.result = RouteMatch::Result::kWrongMethod;
      return false;
    }
    match.result = RouteMatch::Result::kFound;
    match.route = found->second;
    return true;
  };
  Walk(*root_, segments, 0, visit);
  return match;
}

std::string RouteTable::AllowedMethods(const PathSegments& segments) const {
  std::set<std::string_view> methods;
  auto visit = [&](const Node& leaf) {
    for (const auto& [method, route] : leaf.methods)
      methods.insert(method);
    return false;
  };
  Walk(*root_, segments, 0, visit);
  std::string allow;
  for (auto method : methods) {
    if (!allow.empty())
      allow += ", ";
    allow += method;
  }
  return allow;
}

bool SplitPath(std::string_view path, PathSegments* segments) {
  segments->clear();
  if (path.empty() || path.front() != '/')
    return false;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments->push_back(path.substr(0, slash));
    if (slash == std::string_view::npos)
      return true;
    path.remove_prefix(slash + 1);
  }
}

bool ExtractVariables(const PathTemplate& path, const PathSegments& segments,
                      std::vector<std::string>* values) {
  values->clear();
  values->reserve(path.variables.size());
  for (const auto& variable : path.variables) {
    const bool to_end = path.segments[variable.last - 1].kind == PathSegment::Kind::kMulti;
    const std::size_t end = to_end ? segments.size() : variable.last;
    if (variable.first > end || end > segments.size())
      return false;
    std::string raw;
    for (std::size_t i = variable.first; i < end; ++i) {
      if (i > variable.first)
        raw += '/';
      raw += segments[i];
    }
    std::string value;
    if (raw.empty() || !PercentDecode(raw, variable.multi_segment, &value))
      return false;
    values->push_back(std::move(value));
  }
  return true;
}

}  // namespace ss::gateway
