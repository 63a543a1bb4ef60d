// The scoring standards the server knows: every version loaded from
// data/standards/*.std, plus older versions kept in the store, so that a sheet
// is always shown by the version that scored it.
#ifndef RECTIFY_SERVER_STANDARDS_H_
#define RECTIFY_SERVER_STANDARDS_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/standard.h"
#include "storage/store.h"

namespace rectify::server {

class StandardRegistry {
 public:
  // Parses every *.std file in `dir`, in name order. A missing folder gives an
  // empty registry; a bad file is kInvalidArgument naming the file, line, item
  // and field (from domain::Standard::Parse).
  static absl::StatusOr<StandardRegistry> LoadDirectory(const std::string& dir);
  // Adds the *.std files of another folder, as LoadDirectory reads them.
  absl::Status AddDirectory(const std::string& dir);

  // Stores the text of every version not yet in `store`, and adds the stored
  // versions no file provides any more. kFailedPrecondition if a file holds a
  // version already stored with other text: a changed standard needs a new
  // version, or sheets scored by the old text would change meaning.
  absl::Status SyncWithStore(storage::Store& store, absl::Time now);

  // The newest version of `id` (by load order: stored ones first, then the
  // files), or nullptr.
  const domain::Standard* Latest(absl::string_view id) const;
  const domain::Standard* Find(absl::string_view id, absl::string_view version) const;
  // Every version, oldest first.
  std::vector<const domain::Standard*> All() const;
  // The id of the one standard loaded, "" if there are none or several.
  std::string SoleId() const;

 private:
  void Add(std::string text, domain::Standard standard);

  struct Entry {
    std::string text;
    std::shared_ptr<const domain::Standard> standard;
  };
  std::vector<Entry> entries_;  // in load order
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_STANDARDS_H_
