#include "catalog_store.h"

#include "db/query.h"

namespace ss::catalog {
namespace {

namespace pb = streamspace::catalog::v1;
using nlohmann::json;

constexpr db::Query kGeneration{"catalog_generation",
                                "SELECT generation FROM catalog.catalog_generation"};

constexpr db::Query kAll{
    "catalog_all",
    "SELECT t.repository_id::text, r.name, t.name, t.display_name, t.description, t.category, "
    "t.icon, t.app_type, array_to_json(t.tags)::text, t.installs, t.path, "
    "to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "coalesce(t.spec->>'baseImage', '') "
    "FROM catalog.catalog_templates t JOIN catalog.repositories r ON r.id = t.repository_id"};

constexpr db::Query kCountInstall{
    "catalog_count_install",
    "UPDATE catalog.catalog_templates SET installs = installs + 1 "
    "WHERE repository_id = $1::uuid AND name = $2 RETURNING spec::text"};

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
      entry.set_repository_id(row[0].as<std::string>());
      entry.set_repository(row[1].as<std::string>());
      entry.set_name(row[2].as<std::string>());
      entry.set_display_name(row[3].as<std::string>());
      entry.set_description(row[4].as<std::string>());
      entry.set_category(row[5].as<std::string>());
      entry.set_icon(row[6].as<std::string>());
      entry.set_app_type(row[7].as<std::string>());
      for (const json& tag : json::parse(row[8].as<std::string>()))
        entry.add_tags(tag.get<std::string>());
      entry.set_installs(row[9].as<int>());
      entry.set_path(row[10].as<std::string>());
      entry.set_updated_at(row[11].as<std::string>());
      entry.set_base_image(row[12].as<std::string>());
      entries.push_back(std::move(entry));
    }
    tx.commit();
    return entries;
  });
}

grpc::Status CatalogStore::Install(const std::string& repository_id, const std::string& name,
                                   const std::function<grpc::Status(const json& spec)>& create) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const pqxx::result counted = db::Execute(tx, kCountInstall, repository_id, name);
    if (counted.empty()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "no catalog template " + name + " in that repository");
    }
    grpc::Status status = create(json::parse(counted[0][0].as<std::string>()));
    if (status.ok())
      tx.commit();
    return status;
  });
}

}  // namespace ss::catalog
