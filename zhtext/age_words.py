"""Words that state an age without a number: 童工, 初中生, 初二初三的也行, 差一岁满16, 个子高就行不看岁数.

zhtext.ages reads these beside the numbered ages; each implies the ages in WORD_AGES. Patterns on folded,
lower-cased text (zhtext.fold).
"""

from __future__ import annotations

import re

from zhtext.scan import led

# Pupils named by their grade: 初二的, 初二初三的 (not 正月初二, 大年初二).
_GRADES = r"(?<!月)(?<!大年)(?<!正月)初[一二三123](?:[、和或/]?初[一二三123])?的"
# Words of a class or a contest: its pupils are not workers.
_CLASS = r"辅导|招生|补习|比赛|课程|培训班"
# An ad accepting someone: "也可", "都行", "可以来干" (not "小孩可在上海上学": a benefit for parents).
_ACCEPT = (
    r"(?:(?:也|都|均|亦)(?:可以?|行|收|要|招|能)|可以?(?:干|做|来|报名|上班|打工|应聘)|能干|能做|都行|也行)"
)
# Words for children as workers. 小孩 only where the ad accepts them ("小孩也可"): 有小孩的宝妈 is not one.
MINOR_WORDS = led(
    r"童工|(?<!保护)未成年(?:人)?(?!工|人?保护|人?权益|人?身心|玩家|用户|顾客|客户|消费者|游戏)|初中生|初中在读|在读初中|初中未毕业|初中没毕业"
    r"|(?<!月)(?<!大年)(?<!正月)初[一二三123](?:学生|生|在读|的学生|(?:就)?(?:不念|没念|不读|没读|辍学)了?的?|(?:不想念|不想读|不想上)(?:学)?了?的?(?=[^,;。\s]{0,4}"
    + _ACCEPT
    + r"))|在读初[一二三123]|小学毕业|小学生(?="
    + _ACCEPT
    + r")"
    r"|(?<!岁)小孩(?:子)?(?=" + _ACCEPT + r")"
    r"|(?:毕业)?没毕业(?:的)?(?:也|都)(?:行|可以|可|要|收)|十来岁|十一二岁|十二三岁|十三四岁"
    # pupils of a grade taken as they are: 初二初三的也行
    r"|" + _GRADES + r"(?=" + _ACCEPT + r")"
    # a year or months short of sixteen, taken: 差一岁满16也收; "收不收?" answered "收的"
    r"|差(?:一|1|两|2|半|几)(?:岁|个月|年)(?:就)?满(?:十六|16)(?:周?岁)?"
    r"(?=[^。;!?]{0,3}(?:也|都)(?:收|要|行|可以)|[^。;!]{0,30}(?<![不没])(?:收的|要的)|[^。;!]{0,30}(?<!再)来吧)"
    # tall enough, whatever the age: 个子高就行不看岁数
    r"|(?:个子|个头|身高|长得)[^,;。\s]{0,2}(?:高|够|大)[^。;\s]{0,4}(?:不看|不管|不问|不论)(?:岁数|年纪|年龄)"
    r"(?![^。;]{0,12}(?:[2-9]\d|[二三四五六七八九]十)岁?以(?:下|内))"  # not "不看年龄，60岁以下都可以"
    r"|辍学(?:的)?(?:娃娃?|孩子|小孩|学生)?(?=的?" + _ACCEPT + r")"
    # under the working age without a number: 年龄不够的也行, 不到十六的; no age checked on pupils
    r"|年龄不够|不够年龄|年纪不够|岁数不够|不够岁数"
    r"|(?:不到|没满|没到|不够)(?:1[2-6]|十[二三四五六])(?![\d个人天元小月年号点%.薪周次期万千百块分])(?:周?岁)?"
    r"|学生工?[^。;!?]{0,8}?不(?:查|看|问|管)(?:身份证|年龄)|不(?:查|看|问|管)年龄(?=[^。;!?]{0,10}学生)"
    # an age without 岁 before a word for a child: 十五六的男孩; a child sent to the factory to work
    r"|(?<![\d一二三四五六七八九十])(?:十[二三四五]|1[2-5])(?:[、到-]?(?:十?[三四五六]|1[3-6]))?的(?:男孩|女孩|孩子|小孩|学生|娃)"
    r"|(?:孩子|小孩|娃)们?[^。;!?]{0,14}(?:送来|送到|带来|带到)(?:厂里?|车间|工地|店里?)[^。;!?]{0,4}(?:打工|干活|做工|暑假工|寒假工)",
)
# Ages a word implies, by its first two characters; anything else is a junior-middle pupil (12-15).
WORD_AGES = {
    "童工": (None, 15),
    "差一": (15, 15),
    "差1": (15, 15),
    "差半": (15, 15),
    "差两": (14, 15),
    "差2": (14, 15),
    "差几": (13, 15),
    "未成": (None, 17),
    "小学": (6, 13),
    "小孩": (None, 15),
    "十来": (9, 12),
    "十一": (11, 12),
    "十二": (12, 13),
    "十三": (13, 14),
}
# "初二初三的也行" names days of the new year in a shop's or a family's plans, and pupils in a tutor's class.
GRADE_ONLY = re.compile(_GRADES)
NOT_AT_WORK = re.compile(r"春节|过年|拜年|大年|正月|聚会|放假|营业|报名|班级|" + _CLASS)
# Pupils named for a class or a contest ("初一初二初三的学生都可以参加作文比赛"): not workers, where no word of
# work stands.
IN_CLASS = re.compile(r"作文|竞赛|夏令营|" + _CLASS)

__all__ = ["GRADE_ONLY", "IN_CLASS", "MINOR_WORDS", "NOT_AT_WORK", "WORD_AGES"]
