#include "server/standards.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/read_file.h"
#include "common/status_macros.h"

namespace rectify::server {

absl::StatusOr<StandardRegistry> StandardRegistry::LoadDirectory(const std::string& dir) {
  StandardRegistry registry;
  RECTIFY_RETURN_IF_ERROR(registry.AddDirectory(dir));
  return registry;
}

absl::Status StandardRegistry::AddDirectory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return absl::OkStatus();
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && absl::EndsWith(entry.path().filename().string(), ".std")) {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  for (const std::string& path : paths) {
    RECTIFY_ASSIGN_OR_RETURN(std::string text, common::ReadFileToString(path, "standard file"));
    RECTIFY_ASSIGN_OR_RETURN(domain::Standard standard, domain::Standard::Parse(text, path));
    if (Find(standard.id(), standard.version()) != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": standard ", standard.id(), " version ", standard.version(),
          " is declared by another file too; give each version one file"));
    }
    Add(std::move(text), std::move(standard));
  }
  return absl::OkStatus();
}

void StandardRegistry::Add(std::string text, domain::Standard standard) {
  entries_.push_back(
      {std::move(text), std::make_shared<const domain::Standard>(std::move(standard))});
}

absl::Status StandardRegistry::SyncWithStore(storage::Store& store, absl::Time now) {
  std::vector<storage::StandardRecord> stored;
  RECTIFY_RETURN_IF_ERROR(store.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(stored, tx.ListStandards());
    return absl::OkStatus();
  }));
  std::vector<Entry> from_files = std::move(entries_);
  entries_.clear();
  // Stored versions first (they are older), then what the files add.
  for (const storage::StandardRecord& record : stored) {
    RECTIFY_ASSIGN_OR_RETURN(
        domain::Standard standard,
        domain::Standard::Parse(record.text, absl::StrCat("stored standard ", record.id, " ",
                                                          record.version)));
    Add(record.text, std::move(standard));
  }
  for (Entry& entry : from_files) {
    const domain::Standard& s = *entry.standard;
    auto same = std::find_if(stored.begin(), stored.end(), [&](const storage::StandardRecord& r) {
      return r.id == s.id() && r.version == s.version();
    });
    if (same != stored.end()) {
      if (same->text != entry.text) {
        return absl::FailedPreconditionError(absl::StrCat(
            "standard ", s.id(), " version ", s.version(),
            " differs from the text stored when it was first loaded; sheets already scored by "
            "it would change meaning: give the edited file a new version"));
      }
      continue;
    }
    storage::StandardRecord record{s.id(), s.version(), entry.text, now};
    RECTIFY_RETURN_IF_ERROR(
        store.Write([&](storage::WriteTx& tx) { return tx.PutStandard(record); }));
    entries_.push_back(std::move(entry));
  }
  return absl::OkStatus();
}

const domain::Standard* StandardRegistry::Latest(absl::string_view id) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->standard->id() == id) return it->standard.get();
  }
  return nullptr;
}

const domain::Standard* StandardRegistry::Find(absl::string_view id,
                                               absl::string_view version) const {
  for (const Entry& e : entries_) {
    if (e.standard->id() == id && e.standard->version() == version) return e.standard.get();
  }
  return nullptr;
}

std::vector<const domain::Standard*> StandardRegistry::All() const {
  std::vector<const domain::Standard*> all;
  for (const Entry& e : entries_) all.push_back(e.standard.get());
  return all;
}

std::string StandardRegistry::SoleId() const {
  std::set<std::string> ids;
  for (const Entry& e : entries_) ids.insert(e.standard->id());
  return ids.size() == 1 ? *ids.begin() : "";
}

}  // namespace rectify::server
