"""Phrase banks for forced-labour and disabled-worker wording in synthetic job ads, and lawful look-alikes.

Forced-labour ads rarely say so: they state house rules (ID cards kept, pay held back, no going out,
fares owed). Each bank varies the sentence shape, not only the words, so a model has to read the rule.
Fields: {fee} (yuan), {n} (months), {who} (the person in control), {living} (a monthly allowance).
The lawful banks say the opposite in the same words ("不压工资", "身份证当场归还"): hard negatives.
"""

from __future__ import annotations

CONTROLLERS = ("带班", "宿管", "组长", "老板", "主管", "带队老师", "领班")

ID_CARD_KEPT = (
    "入职后身份证由公司统一保管，离职时归还",
    "报到需交身份证原件，由宿舍管理统一保管",
    "身份证、银行卡统一交由带班人员保管",
    "身份证押在公司，做满合同期退还",
    "身份证上交后才安排宿舍",
    "证件统一押在{who}那里，走的时候再还",
    "来了先把身份证交给{who}，办完手续也不退",
)
WAGES_WITHHELD = (
    "押一个月工资，做满半年一次性结清",
    "工资压两个月发放",
    "前两个月工资暂扣，年底一起结",
    "工资年底统一结算，平时可借支生活费",
    "每月只发{living}元生活费，剩下的年底一次性结清",
    "新员工压{n}个月工资，离职时再结",
    "工资卡由{who}统一代管，要用钱找{who}支取",
    "工资{n}个月一结，中途走的不结",
    "做满{n}个月才发第一笔工资",
)
NO_FREEDOM = (
    "厂区封闭管理，不能随意离厂",
    "上班期间手机统一上交，外出需{who}同意",
    "未满合同期不得离开宿舍区",
    "宿舍晚上锁门，不允许私自外出",
    "宿舍实行封闭式管理，晚上九点后不准出门",
    "进厂后手机由{who}统一收走，每周发一次",
    "合同期内不准请假回家，有事找{who}",
    "干不满{n}个月不让走",
    "出门要{who}跟着，吃住都在厂里",
)
DEBT_BONDAGE = (
    "路费、介绍费公司先垫付，从工资里扣除",
    "吃住费用先记账，从以后工资里扣",
    "借支路费{fee}元，扣完才能离职",
    "欠公司的中介费没还清之前不能走",
    "车费{fee}元由我们先出，干满三个月从工资里抵",
    "来之前可以先借{fee}元安家费，以后干活还",
    "欠下的培训费用工资慢慢还，还清前不能辞职",
    "以工抵债，干满一年账就清了",
)
INTELLECTUALLY_DISABLED = (
    "接收智力稍差、反应慢的人员，有人带过来就行，包吃住",
    "脑子不太灵活的也可以，只要能干活，管吃管住",
    "残疾、智力不好的都收，由我们统一接送，家属可代领工资",
    "智力有点问题的也要，能扫地搬东西就行，工资给带他来的人",
    "招轻度智障人员，会干简单活就行，老板管吃管住",
    "反应慢一点没关系，有人专门带，住在厂里",
    "老实、脑子转得慢的也收，年底工资交家属",
)
# Lawful statements in the same vocabulary, printed by ordinary employers and licensed agencies.
LAWFUL_TERMS = (
    "工资每月15日前足额发放，不压工资",
    "工资按月发放，从不拖欠",
    "离职提前30天书面申请，工资当月结清",
    "试用期内提前3天申请即可离职",
    "宿舍23:00门禁，上下班进出自由",
    "身份证仅核对原件，当场归还",
    "入职需提供身份证复印件两张",
    "车费凭票报销，无需垫付",
    "工作时间不得擅自离岗，午休可自由活动",
    "欢迎残疾人朋友应聘，本岗位适合轻度肢体残疾",
    "公司按比例安排残疾人就业，岗位可按需调整",
    "可预支部分工资，下月发薪时扣回",
    "严禁扣押员工证件，发现请向人社部门举报",
)
