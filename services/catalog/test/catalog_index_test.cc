#include "catalog_index.h"

#include <catch2/catch.hpp>

namespace ss::catalog {
namespace {

namespace pb = streamspace::catalog::v1;

pb::CatalogTemplate Entry(const std::string& name, const std::string& category, int installs,
                          const std::string& updated_at, std::vector<std::string> tags,
                          const std::string& description = "") {
  pb::CatalogTemplate entry;
  entry.mutable_repository()->set_id(1);
  entry.mutable_repository()->set_name("community");
  entry.set_name(name);
  entry.set_display_name(name == "vscode" ? "Visual Studio Code" : name);
  entry.set_description(description);
  entry.set_category(category);
  entry.set_install_count(installs);
  entry.set_updated_at(updated_at);
  for (auto& tag : tags)
    entry.add_tags(tag);
  return entry;
}

std::vector<std::string> Names(const BrowsePage& page) {
  std::vector<std::string> names;
  for (const auto& entry : page.templates)
    names.push_back(entry.name());
  return names;
}

void Fill(CatalogIndex& index) {
  index.Replace(7, {Entry("firefox", "Web Browsers", 5, "2026-01-02T00:00:00.000Z",
                          {"browser", "web"}, "Mozilla's browser"),
                    Entry("chromium", "Web Browsers", 9, "2026-01-01T00:00:00.000Z", {"browser"}),
                    Entry("vscode", "Development", 5, "2026-01-03T00:00:00.000Z", {"editor"},
                          "Code editing. Redefined."),
                    Entry("gimp", "Design", 0, "2026-01-04T00:00:00.000Z", {"graphics"})});
}

}  // namespace

TEST_CASE("browse sorts by installs (ties by name), name, or recency") {
  CatalogIndex index;
  Fill(index);
  CHECK(index.generation() == 7);
  BrowseQuery query;
  CHECK(Names(index.Browse(query)) ==
        std::vector<std::string>{"chromium", "firefox", "vscode", "gimp"});
  query.sort = BrowseSort::kName;
  CHECK(Names(index.Browse(query)) ==
        std::vector<std::string>{"chromium", "firefox", "gimp", "vscode"});
  query.sort = BrowseSort::kRecency;
  CHECK(Names(index.Browse(query)) ==
        std::vector<std::string>{"gimp", "vscode", "firefox", "chromium"});
}

TEST_CASE("browse filters by category, tag and case-insensitive text") {
  CatalogIndex index;
  Fill(index);
  BrowseQuery query;
  query.category = "Web Browsers";
  CHECK(Names(index.Browse(query)) == std::vector<std::string>{"chromium", "firefox"});
  query = {};
  query.tag = "editor";
  CHECK(Names(index.Browse(query)) == std::vector<std::string>{"vscode"});
  query = {};
  query.search = "STUDIO";  // display name
  CHECK(Names(index.Browse(query)) == std::vector<std::string>{"vscode"});
  query.search = "mozilla";  // description
  CHECK(Names(index.Browse(query)) == std::vector<std::string>{"firefox"});
  query.search = "imp";  // name
  CHECK(Names(index.Browse(query)) == std::vector<std::string>{"gimp"});
  query.search = "nothing like it";
  CHECK(index.Browse(query).total == 0);
  query = {};
  query.category = "Web Browsers";
  query.tag = "web";
  CHECK(Names(index.Browse(query)) == std::vector<std::string>{"firefox"});
}

TEST_CASE("browse pages") {
  CatalogIndex index;
  Fill(index);
  BrowseQuery query;
  query.sort = BrowseSort::kName;
  query.limit = 3;
  auto page = index.Browse(query);
  CHECK(Names(page) == std::vector<std::string>{"chromium", "firefox", "gimp"});
  CHECK(page.total == 4);
  CHECK(page.next_offset == 3);
  query.offset = 3;
  page = index.Browse(query);
  CHECK(Names(page) == std::vector<std::string>{"vscode"});
  CHECK(page.next_offset == -1);
  query.offset = 10;
  CHECK(index.Browse(query).templates.empty());
  CHECK(CatalogIndex().Browse({}).total == 0);
}

TEST_CASE("sort names") {
  BrowseSort sort = BrowseSort::kName;
  CHECK(ParseBrowseSort("", &sort));
  CHECK(sort == BrowseSort::kInstalls);
  CHECK(ParseBrowseSort("recency", &sort));
  CHECK(sort == BrowseSort::kRecency);
  CHECK_FALSE(ParseBrowseSort("popularity", &sort));
}

}  // namespace ss::catalog
