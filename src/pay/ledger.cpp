// ledger.cpp (pay): the one place an approved pay run posts to the double-entry ledger (issue 14
// §3-4), on the approval's transaction.
#include "pay/internal.h"

namespace kehou::pay::internal {

// LEDGER DOOR NOT MERGED YET: the s10-ledger branch builds src/ledger/service.h. Once merged this
// posts the run (debit teacher pay expense and institution payments, credit payable) from the
// run's totals; until then an approved run is frozen but not posted.
Status PostRunToLedger(db::Conn& c, int64_t school_id, int64_t run_id) {
  (void)c;
  (void)school_id;
  (void)run_id;
  return Ok();
}

}  // namespace kehou::pay::internal
