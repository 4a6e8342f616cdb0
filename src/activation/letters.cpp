#include "activation/letters.h"

#include "pdf/cards.h"

namespace kehou::activation {

Result<std::string> RenderLetters(const std::string& title, const std::vector<Letter>& letters) {
  if (letters.empty())
    return Error::RuleBroken("本班所有家长都已激活账号，没有需要打印的激活函",
                             "every guardian of the class has an account");
  std::vector<pdf::Card> cards;
  for (const auto& l : letters)
    cards.push_back(
        pdf::Card{l.school + " · " + l.class_name + " 家长账号激活函",
                  {"尊敬的" + l.guardian + "：", "学生：" + l.student, "登记手机号：" + l.mobile},
                  l.url,
                  "激活码 " + l.code.substr(0, 4) + " " + l.code.substr(4),
                  "用手机扫描二维码，或打开课后服务家长端选择“激活账号”，输入登记手机号与激活码，设置密码即可登录。"
                  "激活码 " +
                      l.expires + " 前有效，仅可使用一次；请勿转交他人。"});
  KEHOU_ASSIGN_OR_RETURN(pdf::RenderedCards pdf, pdf::RenderCards(title, cards));
  return std::move(pdf.bytes);
}

}  // namespace kehou::activation
