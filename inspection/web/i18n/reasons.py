"""Catalogue entries of the reasons on the task page (explanation entries without a meaning of their own)."""

# key -> (zh, en)
REASONS: dict[str, tuple[str, str]] = {
    # Reasons on the task page: explanation entries without a "meaning" of their own (keys are feature names).
    "reason.phrase": ("文本片段「{}」", "Text fragment “{}”"),
    "reason.charges_fee": ("向求职者收取押金或费用", "Charges job seekers a deposit or fee"),
    "reason.training_loan": ("招转培或培训贷", "Recruitment turned into paid training or a training loan"),
    "reason.id_card_kept": ("扣押身份证或证件", "ID card or documents kept"),
    "reason.wages_withheld": ("克扣或押工资", "Wages withheld or docked"),
    "reason.no_freedom_to_leave": ("限制人身自由", "No freedom to leave"),
    "reason.debt_bondage": ("以债务束缚", "Debt bondage"),
    "reason.recruits_intellectually_disabled": ("招收智力障碍者", "Recruits intellectually disabled people"),
    "reason.minimum_age_under_16": ("招用不满16周岁", "Hires under-16s"),
    "reason.pay_far_above_norm": ("无技能岗位承诺畸高工资", "Unskilled job promising far-above-normal pay"),
    "reason.contact_off_platform": ("只留私人联系方式", "Private contact details only"),
    "reason.no_company_named": ("未写明用人单位", "No employer named"),
    "reason.claims_agency": ("自称中介", "Claims to be an agency"),
    "reason.agency_without_licence": (
        "自称中介但未展示许可证",
        "Claims to be an agency but shows no licence",
    ),
    "reason.cross_border_bride": ("跨境新娘", "Cross-border bride"),
    "reason.bride_under_20": ("新娘不满20周岁", "Bride under 20"),
    "reason.guaranteed_success": ("保证成功", "Guaranteed success"),
    "reason.virgin": ("以处女为卖点", "Sells virginity"),
    "reason.large_fee": ("高额费用或彩礼", "Large fee or bride price"),
    "reason.lure_words": ("诱导性用语", "Luring words"),
    "reason.hype": ("煽动性感叹号", "Hype exclamation marks"),
}
