// table.h (pdf): printable table documents (section rosters and other lists) as PDF bytes in
// memory. cairo draws the pages (A4 portrait, PDF 1.4, fonts subset and embedded); pango shapes
// and lays out the UTF-8 text with fontconfig's "Noto Sans CJK SC" (Debian: fonts-noto-cjk).
// A document: a title and subtitle lines on the first page, a table whose header row repeats on
// every page, a running header (left text and the title) and a footer with "第 i 页 / 共 N 页".
// Cells wrap to at most kMaxCellLines lines and are ellipsized ("…") beyond.
// libharu is not used: it cannot embed the CFF-based (OpenType/TTC) Noto CJK fonts.
// Thread-safety: RenderTable may be called from any thread. Calls are serialised by one
// process-wide mutex, because they share one pango font map (a PangoFontMap is not safe to use
// from several threads at once; one per worker thread would hold a CJK glyph cache each).
// At most kMaxRendersInFlight calls run or wait at once; more answer kUnavailable at once, so
// a burst of print requests never holds every request worker.
// Cost: cairo reads the font's whole 15 MB CFF table for each document; a 45-row roster takes
// ~40 ms on a warm thread when glibc keeps such buffers in the heap, ~0.3-0.5 s when every
// malloc of that size is a fresh mmap (a fixed M_MMAP_THRESHOLD of 128 KiB, see app/main.cpp).
// The first call in a thread also loads fontconfig's data (~0.2-0.5 s).
#pragma once
#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kehou::pdf {

inline constexpr std::string_view kPdfContentType = "application/pdf";
inline constexpr const char* kFontFamily = "Noto Sans CJK SC";
inline constexpr int kMaxCellLines = 2;        // a longer cell ends in "…"
inline constexpr double kA4WidthPt = 595.276;  // 210 mm
inline constexpr double kA4HeightPt = 841.89;  // 297 mm
inline constexpr int kMaxRendersInFlight = 2;  // one drawing, one waiting; a third is refused

enum class Align { kStart, kCenter, kEnd };

struct Column {
  std::string header;
  double weight = 1;  // share of the table's width (weights are normalised)
  Align align = Align::kStart;
};

struct TableDocument {
  std::string title;                           // first page, large; also in the running header
  std::vector<std::string> subtitles;          // lines under the title on the first page
  std::vector<Column> columns;                 // at least one
  std::vector<std::vector<std::string>> rows;  // each with exactly columns.size() cells
  std::string header_left;                     // running header, left (e.g. the school's name)
  std::string footer_left;                     // footer, left (e.g. "打印时间 …")
  std::string empty_text = "（无）";           // one full-width row when rows is empty
  std::string created;                         // PDF creation date "YYYY-MM-DDTHH:MM:SS"; empty: now
};

struct RenderedPdf {
  std::string bytes;               // the PDF file
  int pages = 0;                   // equals the number of /Type /Page objects in bytes
  std::vector<int> rows_per_page;  // table rows drawn on each page (the empty row counts)
  int clipped_cells = 0;           // cells cut after kMaxCellLines lines
  int missing_glyphs = 0;          // characters no installed font covers (drawn as boxes)
};

// Admission for at most `limit` concurrent holders (lock-free). Thread-safe.
class InFlightGate {
 public:
  explicit InFlightGate(int limit) : limit_(limit) {}
  bool TryEnter();  // false when `limit` holders are in
  void Leave();     // after a successful TryEnter

 private:
  const int limit_;
  std::atomic<int> in_flight_{0};
};

// "第 1 页 / 共 3 页".
std::string PageLabel(int page, int pages);

// Lays out and draws the document. Invalid input (no columns, a row with the wrong number of
// cells) answers kInvalid; kMaxRendersInFlight calls already running or waiting kUnavailable
// (503); a cairo failure kInternal. Text that is not valid UTF-8 is repaired
// (U+FFFD) rather than refused.
Result<RenderedPdf> RenderTable(const TableDocument& doc);

}  // namespace kehou::pdf
