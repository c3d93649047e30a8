#include "catalog_store.h"

#include "db/query.h"
#include "template_object.h"

namespace ss::catalog {
namespace {

namespace pb = streamspace::catalog::v1;
using nlohmann::json;

constexpr db::Query kGeneration{"catalog_generation",
                                "SELECT generation FROM catalog.catalog_generation"};

constexpr db::Query kAll{
    "catalog_all",
    "SELECT t.id, t.repository_id, r.name, r.url, t.name, t.display_name, t.description, "
    "t.category, t.icon, t.app_type, array_to_json(t.tags)::text, t.installs, t.path, "
    "to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "coalesce(t.spec->>'baseImage', ''), t.spec::text "
    "FROM catalog.catalog_templates t JOIN catalog.repositories r ON r.id = t.repository_id"};

constexpr db::Query kCountInstall{"catalog_count_install",
                                  "UPDATE catalog.catalog_templates SET installs = installs + 1 "
                                  "WHERE id = $1 RETURNING name, repository_id, spec::text"};

// The Template resource an install creates, namespace aside, as the entry's `manifest`.
std::string Manifest(const std::string& name, const std::string& spec) {
  const json manifest = {{"apiVersion", kTemplateApiVersion},
                         {"kind", "Template"},
                         {"metadata", {{"name", name}}},
                         {"spec", json::parse(spec)}};
  return manifest.dump(2);
}

}  // namespace

std::int64_t CatalogStore::Generation() {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return db::Execute(tx, kGeneration)[0][0].as<std::int64_t>();
  });
}

std::vector<pb::CatalogTemplate> CatalogStore::LoadAll(std::int64_t* generation) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only> tx(
        connection);
    *generation = db::Execute(tx, kGeneration)[0][0].as<std::int64_t>();
    std::vector<pb::CatalogTemplate> entries;
    for (const auto& row : db::Execute(tx, kAll)) {
      pb::CatalogTemplate entry;
      entry.set_id(row[0].as<std::int32_t>());
      pb::CatalogRepository* repository = entry.mutable_repository();
      repository->set_id(row[1].as<std::int32_t>());
      repository->set_name(row[2].as<std::string>());
      repository->set_url(row[3].as<std::string>());
      entry.set_name(row[4].as<std::string>());
      entry.set_display_name(row[5].as<std::string>());
      entry.set_description(row[6].as<std::string>());
      entry.set_category(row[7].as<std::string>());
      entry.set_icon(row[8].as<std::string>());
      entry.set_app_type(row[9].as<std::string>());
      for (const json& tag : json::parse(row[10].as<std::string>()))
        entry.add_tags(tag.get<std::string>());
      entry.set_install_count(row[11].as<int>());
      entry.set_path(row[12].as<std::string>());
      entry.set_updated_at(row[13].as<std::string>());
      entry.set_base_image(row[14].as<std::string>());
      entry.set_manifest(Manifest(entry.name(), row[15].as<std::string>()));
      entries.push_back(std::move(entry));
    }
    tx.commit();
    return entries;
  });
}

grpc::Status CatalogStore::Install(
    std::int32_t id, const std::function<grpc::Status(const Installable& entry)>& create) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const pqxx::result counted = db::Execute(tx, kCountInstall, id);
    if (counted.empty()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "catalog template " + std::to_string(id) + " not found");
    }
    const Installable entry{counted[0][0].as<std::string>(), counted[0][1].as<std::int32_t>(),
                            json::parse(counted[0][2].as<std::string>())};
    grpc::Status status = create(entry);
    if (status.ok())
      tx.commit();
    return status;
  });
}

}  // namespace ss::catalog
