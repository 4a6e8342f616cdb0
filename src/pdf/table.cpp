#include "pdf/table.h"

#include "pdf/internal.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace kehou::pdf {
namespace {
using namespace internal;  // NOLINT: the shared drawing kit of src/pdf

// Page geometry and type sizes, in points (1/72 inch).
constexpr double kMargin = 40;           // ~14 mm on every side
constexpr double kRunningBand = 22;      // running header: text, then a rule, then the body
constexpr double kFooterBand = 22;       // footer: a rule, then the text
constexpr double kSmallSize = 8;         // running header and footer
constexpr double kTitleSize = 16;
constexpr double kSubtitleSize = 10;
constexpr double kBodySize = 10;         // header row and cells
constexpr double kTitleGap = 6;          // between the title and the subtitles
constexpr double kTableGap = 10;         // between the title block and the table
constexpr double kCellPadX = 4;
constexpr double kCellPadY = 4;
constexpr double kRuleWidth = 0.5;
constexpr double kHeaderFill = 0.90;     // grey of the header row
constexpr double kStripeFill = 0.965;    // grey of every second row
constexpr double kRuleGrey = 0.45;
constexpr double kFaintGrey = 0.35;      // running header and footer text
constexpr int kTitleMaxLines = 2;

// One table row: its cells (one spanning cell for the empty row) and its height.
struct Row {
  std::vector<Text> cells;
  double height = 0;
};

}  // namespace

bool InFlightGate::TryEnter() {
  int n = in_flight_.load();
  while (n < limit_)
    if (in_flight_.compare_exchange_weak(n, n + 1)) return true;
  return false;
}

void InFlightGate::Leave() { in_flight_.fetch_sub(1); }

std::string PageLabel(int page, int pages) {
  return "第 " + std::to_string(page) + " 页 / 共 " + std::to_string(pages) + " 页";
}

Result<RenderedPdf> RenderTable(const TableDocument& doc) {
  if (doc.columns.empty()) return MakeError(kInvalid, "表格没有列", "the table has no columns", "columns");
  if (!internal::LazyError().empty()) return MakeError(kUnavailable, internal::LazyError(), internal::LazyError());
  for (size_t i = 0; i < doc.rows.size(); ++i)
    if (doc.rows[i].size() != doc.columns.size())
      return MakeError(kInvalid, "第 " + std::to_string(i + 1) + " 行的单元格数与列数不符",
                       "row " + std::to_string(i + 1) + " does not have one cell per column", "rows");
  double total_weight = 0;
  for (const auto& c : doc.columns) total_weight += std::max(c.weight, 0.0);
  if (total_weight <= 0) return MakeError(kInvalid, "列宽无效", "column weights must be positive", "columns");

  RenderSlot slot(RenderGate());
  if (!slot.entered()) return Busy();
  std::lock_guard lock(RenderMutex());
  RenderedPdf out;
  Canvas canvas(out.bytes, doc.title, doc.created);
  if (!canvas.ok()) return Internal("surface");
  cairo_t* cr = canvas.cr();
  Typesetter ts(canvas.context());

  const double left = kMargin, right = kA4WidthPt - kMargin, width = right - left;
  FontPtr small = Font(kSmallSize), title_font = Font(kTitleSize), sub_font = Font(kSubtitleSize),
          body = Font(kBodySize);

  // ---- measure: title block, header row, rows.
  Text title = ts.Make(doc.title, title_font.get(), width, kTitleMaxLines);
  std::vector<Text> subtitles;
  double title_block = title.height;
  for (const auto& s : doc.subtitles) {
    subtitles.push_back(ts.Make(s, sub_font.get(), width, kMaxCellLines));
    title_block += (subtitles.size() == 1 ? kTitleGap : 0) + subtitles.back().height;
  }
  title_block += kTableGap;

  std::vector<double> col_x, col_w;
  double x = left;
  for (const auto& c : doc.columns) {
    double w = width * std::max(c.weight, 0.0) / total_weight;
    col_x.push_back(x);
    col_w.push_back(w);
    x += w;
  }
  auto make_row = [&](const std::vector<std::string>& cells, const PangoFontDescription* font) {
    Row r;
    for (size_t i = 0; i < cells.size(); ++i) {
      r.cells.push_back(ts.Make(cells[i], font, col_w[i] - 2 * kCellPadX, kMaxCellLines, doc.columns[i].align));
      r.height = std::max(r.height, r.cells.back().height);
      if (r.cells.back().clipped) ++out.clipped_cells;
    }
    r.height += 2 * kCellPadY;
    return r;
  };
  std::vector<std::string> headers;
  for (const auto& c : doc.columns) headers.push_back(c.header);
  Row header = make_row(headers, body.get());
  std::vector<Row> rows;
  for (const auto& r : doc.rows) rows.push_back(make_row(r, body.get()));
  const bool empty = rows.empty();
  if (empty) {
    Row r;
    r.cells.push_back(ts.Make(doc.empty_text, body.get(), width - 2 * kCellPadX, kMaxCellLines, Align::kCenter));
    r.height = r.cells.back().height + 2 * kCellPadY;
    rows.push_back(std::move(r));
  }

  // ---- paginate: as many whole rows as fit under the repeated header row (at least one).
  const double body_top = kMargin + kRunningBand;
  const double body_bottom = kA4HeightPt - kMargin - kFooterBand;
  std::vector<std::pair<size_t, size_t>> pages;
  for (size_t i = 0; i < rows.size() || pages.empty();) {
    double y = (pages.empty() ? body_top + title_block : body_top) + header.height;
    size_t start = i;
    while (i < rows.size() && (i == start || y + rows[i].height <= body_bottom)) y += rows[i++].height;
    pages.emplace_back(start, i);
  }
  out.pages = static_cast<int>(pages.size());

  // ---- draw.
  Text running_title = ts.Make(doc.title, small.get(), width / 2, 1, Align::kEnd);
  Text running_left = ts.Make(doc.header_left, small.get(), width / 2, 1);
  Text footer_left = ts.Make(doc.footer_left, small.get(), width / 2 - 40, 1);
  auto draw_row = [&](const Row& r, double y, double fill) {
    if (fill < 1) {
      cairo_set_source_rgb(cr, fill, fill, fill);
      cairo_rectangle(cr, left, y, width, r.height);
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, kRuleGrey, kRuleGrey, kRuleGrey);
    cairo_set_line_width(cr, kRuleWidth);
    if (r.cells.size() == 1 && doc.columns.size() != 1) {  // the empty row spans the table
      cairo_rectangle(cr, left, y, width, r.height);
      cairo_stroke(cr);
      Show(cr, r.cells[0], left + kCellPadX, y + (r.height - r.cells[0].height) / 2);
      return;
    }
    for (size_t i = 0; i < r.cells.size(); ++i) {
      cairo_set_source_rgb(cr, kRuleGrey, kRuleGrey, kRuleGrey);
      cairo_rectangle(cr, col_x[i], y, col_w[i], r.height);
      cairo_stroke(cr);
      Show(cr, r.cells[i], col_x[i] + kCellPadX, y + (r.height - r.cells[i].height) / 2);
    }
  };
  for (size_t p = 0; p < pages.size(); ++p) {
    Show(cr, running_left, left, kMargin, kFaintGrey);
    Show(cr, running_title, left + width / 2, kMargin, kFaintGrey);
    Rule(cr, left, right, kMargin + kRunningBand - 6);
    double y = body_top;
    if (p == 0) {
      Show(cr, title, left, y);
      y += title.height;
      for (size_t i = 0; i < subtitles.size(); ++i) {
        if (i == 0) y += kTitleGap;
        Show(cr, subtitles[i], left, y);
        y += subtitles[i].height;
      }
      y += kTableGap;
    }
    draw_row(header, y, kHeaderFill);
    y += header.height;
    for (size_t i = pages[p].first; i < pages[p].second; ++i) {
      draw_row(rows[i], y, !empty && (i - pages[p].first) % 2 == 1 ? kStripeFill : 1);
      y += rows[i].height;
    }
    out.rows_per_page.push_back(static_cast<int>(pages[p].second - pages[p].first));
    const double footer_y = kA4HeightPt - kMargin - kFooterBand + 6;
    Rule(cr, left, right, footer_y);
    Show(cr, footer_left, left, footer_y + 4, kFaintGrey);
    Text label = ts.Make(PageLabel(static_cast<int>(p + 1), out.pages), small.get(), width / 2, 1, Align::kEnd);
    Show(cr, label, left + width / 2, footer_y + 4, kFaintGrey);
    cairo_show_page(cr);
  }
  out.missing_glyphs = ts.missing();
  if (auto failed = canvas.Finish()) return Internal(failed);
  return out;
}

}  // namespace kehou::pdf
