#pragma once
// The examples a document marks for the tests: the fenced block that follows a line
// `<!-- example: NAME -->`, so that what the docs show is what the tests run.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace entitle::test {

/// The text of the fenced code block after `<!-- example: name -->` in `path` (without its fences).
/// Throws when the marker or the block is not there, so that a renamed example fails the test.
inline std::string doc_example(const std::string& path, const std::string& name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string marker = "<!-- example: " + name + " -->\n";
  const auto at = doc.find(marker);
  if (at == std::string::npos) throw std::runtime_error(path + " has no example called " + name);
  const auto fence = doc.find("```", at + marker.size());
  const auto body = doc.find('\n', fence);
  const auto end = doc.find("\n```", body);
  if (fence != at + marker.size() || body == std::string::npos || end == std::string::npos)
    throw std::runtime_error("the example " + name + " of " + path + " is not followed by a fenced block");
  return doc.substr(body + 1, end - body);
}

} // namespace entitle::test
