"""Phrase banks for synthetic matchmaking / marriage-broker ads, ordinary and illegal."""

from __future__ import annotations

MARRIAGE_BRANDS = (
    "佳缘", "良缘", "喜结", "百合", "月老", "红线", "知音", "同心", "鹊桥", "缘来", "金玉", "情深",
    "玫瑰", "牵手", "千禧", "美满", "和鸣", "相守", "真爱", "如意",
)  # fmt: skip
MARRIAGE_SUFFIXES = ("婚姻介绍服务有限公司", "婚恋服务有限公司", "婚介所", "婚恋咨询有限公司")
MARRIAGE_SHORT = ("婚介", "红娘", "婚恋", "相亲")

SERVICE_TITLES = (
    "{city}单身交友 一对一红娘牵线",
    "{brand}婚恋 真实会员 实名认证",
    "{city}本地婚介 大龄青年 离异再婚",
    "红娘帮你找对象｜{city}",
    "{brand} 用心服务每一位单身朋友",
)
EVENT_TITLES = (
    "周末{district}相亲会报名中",
    "{city}青年联谊会 本周六下午",
    "{district}单身交友活动 限额报名",
    "【{brand}】{city}大型相亲会",
)
PROFILE_TITLES = (
    "征婚：{age}岁 {job} 诚找有缘人",
    "{city}{job}，{age}岁，寻另一半",
    "会员推荐｜{age}岁 {job} {city}",
)
ORDINARY_INTROS = (
    "{name}是在{city}市场监管部门依法登记的婚姻介绍服务机构（统一社会信用代码{credit}），从业{years}年。",
    "{name}成立于{year}年，坚持实名认证、真实资料，所有会员均需提供身份证、单身证明。",
    "我们是{city}本地婚介，门店位于{place}，欢迎到店咨询。",
    "{name}：专注{city}本地单身青年婚恋服务，已成功撮合{pairs}对新人。",
)
ORDINARY_SERVICES = (
    "一对一红娘服务，根据您的要求精准推荐",
    "每月举办主题相亲会、户外联谊活动",
    "会员资料严格审核，杜绝婚托、酒托",
    "提供情感咨询、形象改造、约会指导",
    "线上线下结合，保护个人隐私",
    "签订正规服务合同，收费透明",
)
ORDINARY_FEES = (
    ("普通会员{fee}元/年，相亲会门票另计", (980, 1980, 2980, 3680)),
    ("相亲会报名费{fee}元（含茶点）", (30, 50, 80, 100)),
    ("VIP一对一服务{fee}元，服务期一年", (3980, 5800, 6800, 8800)),
    ("免费登记，见面成功后收取{fee}元服务费", (500, 800, 1000)),
)
ORDINARY_MEMBERS = (
    "女，{age}岁，身高{height}，{edu}，{job}，性格温和，希望找一位踏实上进的男士",
    "男，{age}岁，身高{height}，{edu}，{job}，有房有车，诚寻有缘人",
    "女，{age}岁，离异无孩，{job}，希望对方人品好、有责任心",
    "男，{age}岁，{edu}，在{city}工作，父母退休，家庭和睦",
)
MEMBER_JOBS = (
    "教师",
    "护士",
    "公务员",
    "工程师",
    "会计",
    "私营业主",
    "银行职员",
    "医生",
    "设计师",
    "销售经理",
)
MEMBER_EDU = ("本科", "大专", "硕士", "中专", "高中")
EVENT_LINES = (
    "活动时间：{date} 14:00-17:00，地点：{place}",
    "报名要求：{age_text}，单身未婚或离异，需实名登记",
    "名额限{n}人，男女比例1:1，报满即止",
)

# Illegal wording (cross-border bride sales, minors, guaranteed results) as such ads are written.
CROSS_BORDER_TITLES = (
    "{country}新娘 包娶到 全程一条龙",
    "{country}姑娘 {age_text} 处女 可包退换",
    "正规涉外婚介 {country}新娘 三个月娶回家",
    "娶{country}老婆 费用低 包成功",
    "{country}美女 年轻漂亮 温柔顾家 不要彩礼",
)
COUNTRIES = ("越南", "缅甸", "老挝", "柬埔寨", "巴基斯坦")
CROSS_BORDER_LINES = (
    "姑娘都在{age_text}，保证处女，可以先视频再过去挑",
    "全程一条龙服务：出国相亲、办证、结婚、带回国",
    "不成功不收费，娶到为止，跑了包找回",
    "女孩子家里穷，不要彩礼，只要对她好",
    "可包退换，一年内跑了免费再给你找一个",
    "不用办复杂手续，我们有关系，直接带回来",
)
CROSS_BORDER_FEES = ("总费用{fee}万，包括路费、彩礼、办证", "打包价{fee}万，先交一半定金", "费用{fee}万全包")
MINOR_BRIDE_LINES = (
    "女孩{age}岁，初中毕业在家，家里想早点嫁出去，彩礼面议",
    "有{age}岁姑娘，老实听话，可以先订婚等到年龄再领证",
    "农村姑娘{age}岁，不上学了，找个条件好点的人家",
)
GUARANTEED_LINES = (
    "包成功！不成功全额退款",
    "签约即保证三个月内订婚，否则退费",
    "百分百成功率，娶不到老婆不收钱",
    "一次付费，包到结婚为止",
)
LARGE_FEES = ("服务费{fee}万，签约付清", "费用{fee}万（含介绍费、彩礼）", "一口价{fee}万元")
UNREGISTERED_LINES = (
    "私人红娘，不走公司，价格更低",
    "个人介绍，资源多，私聊看照片",
    "不是婚介所，熟人介绍更靠谱",
)
# Words that make a line or title a guarantee of success (the ground truth reads the printed words).
GUARANTEE_MARKS = ("不成功", "包找回", "包退换", "包娶", "包成功")
VIRGIN_LINES = ("保证处女，可以检查", "纯洁姑娘，没有谈过恋爱，保证处女")
