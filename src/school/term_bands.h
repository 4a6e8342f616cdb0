// term_bands.h (school, for other modules): the current term and its service bands in ONE read.
// Apart from service.h so that a change here rebuilds only its callers.
#pragma once
#include <optional>
#include <vector>

#include "school/service.h"

namespace kehou::school {

// CurrentTerm with BandsOfTerm of it, read in one statement (a roll call's session lookup runs on
// every save: it was three round trips — the term, its holidays, its bands).
struct TermWithBands {
  Term term;
  std::vector<Band> bands;
};
std::optional<TermWithBands> CurrentTermWithBands(db::Conn& c, int64_t school_id);
// The same read, to share a round trip with another module's reads (db::FetchAll).
db::Fetch<std::optional<TermWithBands>> CurrentTermWithBandsFetch(int64_t school_id);

}  // namespace kehou::school
