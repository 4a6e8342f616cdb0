// xml_pull.h: a pull reader of XML over a read-only buffer, for large machine-written files (FET's
// .fet) read one record at a time: no copy of the text and no tree of the whole document.
//
// Why not pugixml here (it stays for the XLSX reader of the tests): a DOM parser needs the whole
// text in writable memory plus a node per element, about twice the file in fresh pages; reading a
// 3 MB .fet that way touched ~1,700 new pages, most of a solve's time on a machine where a first
// touch costs ~15 us. This reader walks a mapped file (`core/mapped_file.h`) and keeps only the
// record in hand (an <Activity>, one constraint) as a small reusable tree. It reads elements,
// text, CDATA and the five named entities and character references; it skips the XML declaration,
// processing instructions, comments, a DOCTYPE without an internal subset, and attributes. Input is
// UTF-8 (a UTF-8 byte order mark is skipped). Thread-safety: one reader per thread.
#pragma once
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace kehou::timetable {

// One element read whole, with its descendants; reused from record to record.
class XmlTree {
 public:
  struct Node {
    std::string_view name, text;  // text: the first non-blank text of the element, entities decoded
    int first_child = -1, last_child = -1, next = -1;
  };
  // A handle on one node (an empty handle when a child is not there: its name and text are empty).
  class Ref {
   public:
    Ref() = default;
    Ref(const XmlTree* t, int i) : t_(t), i_(i) {}
    explicit operator bool() const { return t_ && i_ >= 0; }
    std::string_view name() const { return *this ? node().name : std::string_view(); }
    std::string_view text() const { return *this ? node().text : std::string_view(); }
    Ref child(std::string_view name) const;  // the first child of that name
    Ref first_child() const { return Ref(t_, *this ? node().first_child : -1); }
    Ref next() const { return Ref(t_, *this ? node().next : -1); }
    Ref next(std::string_view name) const;  // the next sibling of that name

   private:
    const Node& node() const { return t_->nodes_[static_cast<size_t>(i_)]; }
    const XmlTree* t_ = nullptr;
    int i_ = -1;
  };
  Ref root() const { return Ref(this, nodes_.empty() ? -1 : 0); }

 private:
  friend class XmlPull;
  void Clear() {
    nodes_.clear();
    decoded_.clear();
  }
  int Add(std::string_view name, int parent);
  std::vector<Node> nodes_;
  std::deque<std::string> decoded_;  // texts that held entities or carriage returns
};

// The children of a node named `name`, for range-for: `for (auto c : Children(n, "Day"))`.
struct Children {
  Children(XmlTree::Ref parent, std::string_view tag) : first(parent.child(tag)), name(tag) {}
  struct It {
    XmlTree::Ref r;
    std::string_view name;
    XmlTree::Ref operator*() const { return r; }
    It& operator++() {
      r = name.empty() ? r.next() : r.next(name);
      return *this;
    }
    bool operator!=(const It& o) const { return static_cast<bool>(r) != static_cast<bool>(o.r); }  // vs end()
  };
  It begin() const { return It{first, name}; }
  It end() const { return It{XmlTree::Ref(), name}; }
  XmlTree::Ref first;
  std::string_view name;
};

// Numbers in element text (surrounding blanks allowed); the fallback when empty or not a number.
long long AsLong(std::string_view text, long long fallback = 0);
int AsInt(std::string_view text, int fallback = 0);
double AsDouble(std::string_view text, double fallback = 0);

class XmlPull {
 public:
  explicit XmlPull(std::string_view xml);
  // The next element inside the current one (text between is skipped): true with name() set, the
  // element now current and open; false when the current element's end tag comes (it is consumed
  // and its parent is current again), at the end of the document, or on an error (see ok()).
  // After true, the caller reads the element whole (ReadTree), skips it (Skip), or walks into it
  // by calling NextElement again until false.
  bool NextElement();
  std::string_view name() const { return name_; }
  // Where the current element's start tag begins in the text.
  size_t element_begin() const { return begin_; }
  // The current element and everything in it, into tree (cleared first); it is consumed.
  bool ReadTree(XmlTree& tree);
  // The current element is consumed unread; returns the offset just past its end tag.
  size_t Skip();
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }  // English, with the line: "line 3: ..."

 private:
  enum class Tok { kOpen, kClose, kText, kEnd, kError };
  Tok Next();
  Tok OpenTag();
  Tok CloseTag();
  bool SkipPast(std::string_view marker);
  bool Fail(const std::string& what);
  std::string_view Decode(std::string_view raw, XmlTree* tree);

  std::string_view xml_;
  size_t pos_ = 0, begin_ = 0;
  std::string_view name_, text_;
  bool cdata_ = false, pending_close_ = false;  // pending_close_: an <empty/> element's end
  std::vector<std::string_view> open_;          // names of the open elements
  std::string error_;
};

}  // namespace kehou::timetable
