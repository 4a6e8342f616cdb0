// The Element Plus icons the console names (icon="Download", the menu's icons, <UploadFilled />),
// registered globally by name so string icon props resolve. Add an icon here when a page names a
// new one; registering all of @element-plus/icons-vue would ship some 300 unused icons.
import {
  ArrowDown, ChatDotRound, Check, Clock, CopyDocument, DataBoard, Delete, Document, DocumentAdd, Download,
  Expand, Fold, HomeFilled, Lock, Plus, Printer, School, Search, Setting, SwitchButton, Tickets, Upload,
  UploadFilled, User, WarningFilled,
} from '@element-plus/icons-vue'

export const ICONS = {
  ArrowDown, ChatDotRound, Check, Clock, CopyDocument, DataBoard, Delete, Document, DocumentAdd, Download,
  Expand, Fold, HomeFilled, Lock, Plus, Printer, School, Search, Setting, SwitchButton, Tickets, Upload,
  UploadFilled, User, WarningFilled,
}
