#include "pdf/table.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "pdf/internal.h"

namespace kehou::pdf {
namespace {
using namespace internal;  // NOLINT: the shared drawing kit of src/pdf

// Page geometry and type sizes, in points (1/72 inch).
constexpr double kMargin = 40;       // ~14 mm on every side
constexpr double kRunningBand = 22;  // running header: text, then a rule, then the body
constexpr double kFooterBand = 22;   // footer: a rule, then the text
constexpr double kSmallSize = 8;     // running header and footer
constexpr double kTitleSize = 16;
constexpr double kSubtitleSize = 10;
constexpr double kBodySize = 10;  // header row and cells
constexpr double kTitleGap = 6;   // between the title and the subtitles
constexpr double kTableGap = 10;  // between the title block and the table
constexpr double kCellPadX = 4;
constexpr double kCellPadY = 4;
constexpr double kRuleWidth = 0.5;
constexpr double kHeaderFill = 0.90;   // grey of the header row
constexpr double kStripeFill = 0.965;  // grey of every second row
constexpr double kRuleGrey = 0.45;
constexpr double kFaintGrey = 0.35;  // running header and footer text
constexpr int kTitleMaxLines = 2;

// One table row: its cells (one spanning cell for the empty row) and its height.
struct Row {
  std::vector<Text> cells;
  double height = 0;
};

// The document is drawable: columns with positive weights, one cell per column in every row.
// Returns the columns' total weight.
Result<double> CheckDocument(const TableDocument& doc) {
  if (doc.columns.empty()) return MakeError(kInvalid, "表格没有列", "the table has no columns", "columns");
  if (!internal::LazyError().empty()) return MakeError(kUnavailable, internal::LazyError(), internal::LazyError());
  for (size_t i = 0; i < doc.rows.size(); ++i)
    if (doc.rows[i].size() != doc.columns.size())
      return MakeError(kInvalid, "第 " + std::to_string(i + 1) + " 行的单元格数与列数不符",
                       "row " + std::to_string(i + 1) + " does not have one cell per column", "rows");
  double total_weight = 0;
  for (const auto& c : doc.columns) total_weight += std::max(c.weight, 0.0);
  if (total_weight <= 0) return MakeError(kInvalid, "列宽无效", "column weights must be positive", "columns");
  return total_weight;
}

// Lays out and draws one table document: measure (title block, columns, header row, rows), then
// paginate, then draw each page with its running header, the repeated header row and its footer.
class TableRenderer {
 public:
  TableRenderer(const TableDocument& doc, cairo_t* cr, Typesetter& ts, RenderedPdf& out)
      : doc_(doc), cr_(cr), ts_(ts), out_(out), small_(Font(kSmallSize)), body_(Font(kBodySize)) {}

  void Measure(double total_weight) {
    FontPtr title_font = Font(kTitleSize), sub_font = Font(kSubtitleSize);
    title_ = ts_.Make(doc_.title, title_font.get(), width_, kTitleMaxLines);
    title_block_ = title_.height;
    for (const auto& s : doc_.subtitles) {
      subtitles_.push_back(ts_.Make(s, sub_font.get(), width_, kMaxCellLines));
      title_block_ += (subtitles_.size() == 1 ? kTitleGap : 0) + subtitles_.back().height;
    }
    title_block_ += kTableGap;
    double x = left_;
    for (const auto& c : doc_.columns) {
      double w = width_ * std::max(c.weight, 0.0) / total_weight;
      col_x_.push_back(x);
      col_w_.push_back(w);
      x += w;
    }
    std::vector<std::string> headers;
    for (const auto& c : doc_.columns) headers.push_back(c.header);
    header_ = MakeRow(headers);
    for (const auto& r : doc_.rows) rows_.push_back(MakeRow(r));
    empty_ = rows_.empty();
    if (empty_) {
      Row r;
      r.cells.push_back(ts_.Make(doc_.empty_text, body_.get(), width_ - 2 * kCellPadX, kMaxCellLines, Align::kCenter));
      r.height = r.cells.back().height + 2 * kCellPadY;
      rows_.push_back(std::move(r));
    }
  }

  // As many whole rows per page as fit under the repeated header row (at least one).
  void Paginate() {
    for (size_t i = 0; i < rows_.size() || pages_.empty();) {
      double y = (pages_.empty() ? kBodyTop + title_block_ : kBodyTop) + header_.height;
      size_t start = i;
      while (i < rows_.size() && (i == start || y + rows_[i].height <= kBodyBottom)) y += rows_[i++].height;
      pages_.emplace_back(start, i);
    }
    out_.pages = static_cast<int>(pages_.size());
  }

  void Draw() {
    Text running_title = ts_.Make(doc_.title, small_.get(), width_ / 2, 1, Align::kEnd);
    Text running_left = ts_.Make(doc_.header_left, small_.get(), width_ / 2, 1);
    Text footer_left = ts_.Make(doc_.footer_left, small_.get(), width_ / 2 - 40, 1);
    for (size_t p = 0; p < pages_.size(); ++p) {
      Show(cr_, running_left, left_, kMargin, kFaintGrey);
      Show(cr_, running_title, left_ + width_ / 2, kMargin, kFaintGrey);
      Rule(cr_, left_, right_, kMargin + kRunningBand - 6);
      double y = kBodyTop;
      if (p == 0) y = DrawTitleBlock(y);
      DrawRow(header_, y, kHeaderFill);
      y += header_.height;
      for (size_t i = pages_[p].first; i < pages_[p].second; ++i) {
        DrawRow(rows_[i], y, !empty_ && (i - pages_[p].first) % 2 == 1 ? kStripeFill : 1);
        y += rows_[i].height;
      }
      out_.rows_per_page.push_back(static_cast<int>(pages_[p].second - pages_[p].first));
      const double footer_y = kA4HeightPt - kMargin - kFooterBand + 6;
      Rule(cr_, left_, right_, footer_y);
      Show(cr_, footer_left, left_, footer_y + 4, kFaintGrey);
      Text label = ts_.Make(PageLabel(static_cast<int>(p + 1), out_.pages), small_.get(), width_ / 2, 1, Align::kEnd);
      Show(cr_, label, left_ + width_ / 2, footer_y + 4, kFaintGrey);
      cairo_show_page(cr_);
    }
  }

 private:
  static constexpr double kBodyTop = kMargin + kRunningBand;
  static constexpr double kBodyBottom = kA4HeightPt - kMargin - kFooterBand;

  Row MakeRow(const std::vector<std::string>& cells) {
    Row r;
    for (size_t i = 0; i < cells.size(); ++i) {
      r.cells.push_back(
          ts_.Make(cells[i], body_.get(), col_w_[i] - 2 * kCellPadX, kMaxCellLines, doc_.columns[i].align));
      r.height = std::max(r.height, r.cells.back().height);
      if (r.cells.back().clipped) ++out_.clipped_cells;
    }
    r.height += 2 * kCellPadY;
    return r;
  }

  // The title and subtitles on the first page; returns where the table starts.
  double DrawTitleBlock(double y) {
    Show(cr_, title_, left_, y);
    y += title_.height;
    for (size_t i = 0; i < subtitles_.size(); ++i) {
      if (i == 0) y += kTitleGap;
      Show(cr_, subtitles_[i], left_, y);
      y += subtitles_[i].height;
    }
    return y + kTableGap;
  }

  void DrawRow(const Row& r, double y, double fill) {
    if (fill < 1) {
      cairo_set_source_rgb(cr_, fill, fill, fill);
      cairo_rectangle(cr_, left_, y, width_, r.height);
      cairo_fill(cr_);
    }
    cairo_set_source_rgb(cr_, kRuleGrey, kRuleGrey, kRuleGrey);
    cairo_set_line_width(cr_, kRuleWidth);
    if (r.cells.size() == 1 && doc_.columns.size() != 1) {  // the empty row spans the table
      cairo_rectangle(cr_, left_, y, width_, r.height);
      cairo_stroke(cr_);
      Show(cr_, r.cells[0], left_ + kCellPadX, y + (r.height - r.cells[0].height) / 2);
      return;
    }
    for (size_t i = 0; i < r.cells.size(); ++i) {
      cairo_set_source_rgb(cr_, kRuleGrey, kRuleGrey, kRuleGrey);
      cairo_rectangle(cr_, col_x_[i], y, col_w_[i], r.height);
      cairo_stroke(cr_);
      Show(cr_, r.cells[i], col_x_[i] + kCellPadX, y + (r.height - r.cells[i].height) / 2);
    }
  }

  const TableDocument& doc_;
  cairo_t* cr_;
  Typesetter& ts_;
  RenderedPdf& out_;
  FontPtr small_, body_;
  const double left_ = kMargin, right_ = kA4WidthPt - kMargin, width_ = right_ - left_;
  Text title_;
  std::vector<Text> subtitles_;
  double title_block_ = 0;
  std::vector<double> col_x_, col_w_;
  Row header_;
  std::vector<Row> rows_;
  bool empty_ = false;
  std::vector<std::pair<size_t, size_t>> pages_;
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
  KEHOU_ASSIGN_OR_RETURN(const double total_weight, CheckDocument(doc));
  RenderSlot slot(RenderGate());
  if (!slot.entered()) return Busy();
  std::lock_guard lock(RenderMutex());
  RenderedPdf out;
  Canvas canvas(out.bytes, doc.title, doc.created);
  if (!canvas.ok()) return Internal("surface");
  Typesetter ts(canvas.context());
  TableRenderer table(doc, canvas.cr(), ts, out);
  table.Measure(total_weight);
  table.Paginate();
  table.Draw();
  out.missing_glyphs = ts.missing();
  if (auto failed = canvas.Finish()) return Internal(failed);
  return out;
}

}  // namespace kehou::pdf
