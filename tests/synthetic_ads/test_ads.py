"""The synthetic ad generator: determinism, label rules, realism, and truth that matches the text."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict

import pytest
from stdnum.cn import uscc

from synthetic_ads import ad_parts
from synthetic_ads.ads import (
    FORCED_LABOUR_INDICATORS,
    INDICATORS,
    Ad,
    derive_labels,
    generate_ads,
    generate_labelled_corpus,
    organisations,
)
from synthetic_ads.phrases import coercion as F
from synthetic_ads.phrases import job as P

_SIMPLIFIED = {v: k for k, v in P.TRADITIONAL.items()}
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMERALS = str.maketrans("零〇一幺二三四五六七八九壹贰叁肆伍陆柒捌玖", "001123456789123456789")


def _fold(text: str) -> str:
    """Undo an ad's print style (full-width digits, traditional characters) for comparisons."""
    return text.translate(_SIMPLIFIED).translate(_DIGITS)


@pytest.fixture(scope="module")
def ads() -> list[Ad]:
    return generate_ads(seed=2014, n_job=900, n_marriage=300)


def test_same_seed_gives_identical_ads_and_another_seed_differs() -> None:
    first, again = generate_ads(7, 80, 20), generate_ads(7, 80, 20)
    assert first == again
    other = generate_ads(8, 80, 20)
    assert [a.body for a in first] != [a.body for a in other]
    assert len({a.ad_id for a in first}) == 100


def test_generation_does_not_touch_the_global_random_state() -> None:
    random.seed(123)
    expected = random.random()
    random.seed(123)
    generate_ads(3, 30, 10)
    assert random.random() == expected


def test_default_sizes_and_kinds() -> None:
    default = generate_ads()
    assert Counter(a.kind for a in default) == {"job": 240, "marriage": 60}
    assert all(a.synthetic for a in default)


def test_a_realistic_minority_is_risky(ads: list[Ad]) -> None:
    risky = [a for a in ads if any(a.labels.values())]
    assert 0.12 <= len(risky) / len(ads) <= 0.25
    jobs = [a for a in ads if a.kind == "job"]
    # child_labour: under-16s, forced labour (two or more signals) and intellectually disabled workers.
    assert 0.02 <= sum(a.labels["child_labour"] for a in jobs) / len(jobs) <= 0.11
    marriages = [a for a in ads if a.kind == "marriage"]
    assert 0.08 <= sum(a.labels["illegal_marriage_broker"] for a in marriages) / len(marriages) <= 0.35


def test_labels_follow_the_documented_rules(ads: list[Ad]) -> None:
    for ad in ads:
        assert ad.indicators <= set(INDICATORS)
        assert ad.labels == derive_labels(ad.kind, ad.indicators)
        if ad.kind == "job":
            under_16 = ad.age_min is not None and ad.age_min < 16
            forced = bool(ad.indicators & FORCED_LABOUR_INDICATORS)
            disabled = "intellectually_disabled" in ad.indicators
            assert ad.labels["child_labour"] == under_16
            assert ad.labels["forced_labour"] == (forced or disabled)
            assert not ad.labels["illegal_marriage_broker"]
        else:
            assert not ad.labels["illegal_agency"] and not ad.labels["child_labour"]


def test_derive_labels_examples() -> None:
    assert derive_labels("job", frozenset({"deposit_fee"}))["illegal_agency"]
    assert derive_labels("job", frozenset({"claims_agency", "no_licence_shown"}))["illegal_agency"]
    assert not derive_labels("job", frozenset({"claims_agency"}))["illegal_agency"]
    assert not derive_labels("job", frozenset({"pay_far_above_norm", "contact_only_phone_wechat"}))[
        "illegal_agency"
    ]
    assert derive_labels("marriage", frozenset({"guaranteed_success", "large_fee"}))[
        "illegal_marriage_broker"
    ]
    assert not derive_labels("marriage", frozenset({"guaranteed_success"}))["illegal_marriage_broker"]
    assert not derive_labels("marriage", frozenset({"under_16"}))["child_labour"]
    assert derive_labels("job", frozenset({"under_16"}))["child_labour"]
    assert not derive_labels("job", frozenset({"id_card_kept", "wages_withheld"}))["child_labour"]
    assert derive_labels("job", frozenset({"id_card_kept"}))["forced_labour"]
    assert derive_labels("job", frozenset({"no_freedom", "debt_bondage"}))["forced_labour"]
    assert derive_labels("job", frozenset({"intellectually_disabled"}))["forced_labour"]
    assert not derive_labels("marriage", frozenset({"id_card_kept"}))["forced_labour"]
    one_signal = derive_labels("job", frozenset({"wages_withheld"}))
    assert one_signal["illegal_agency"] and not one_signal["child_labour"]


def test_every_indicator_occurs(ads: list[Ad]) -> None:
    seen = Counter(i for a in ads for i in a.indicators)
    assert set(INDICATORS) <= set(seen), set(INDICATORS) - set(seen)


def test_bodies_rarely_repeat(ads: list[Ad]) -> None:
    bodies = Counter(a.body for a in ads)
    assert sum(c - 1 for c in bodies.values()) <= len(ads) * 0.01
    assert len({a.title for a in ads}) >= len(ads) * 0.8


def test_ordinary_and_risky_wording(ads: list[Ad]) -> None:
    ordinary_jobs = [a for a in ads if a.kind == "job" and not a.indicators]
    assert len(ordinary_jobs) > 300
    assert (
        sum(bool(re.search("五险一金|社保|包吃住", a.body)) for a in ordinary_jobs) / len(ordinary_jobs) > 0.6
    )
    assert all("\n\n" in a.body for a in ads)  # several paragraphs
    fee_ads = [a for a in ads if "deposit_fee" in a.indicators]
    assert all(re.search(r"押金|保证金|报名费|体检费|资料费|会员费", _fold(a.body)) for a in fee_ads)
    for ad in (a for a in ads if "id_card_kept" in a.indicators):
        assert re.search("身份证|证件", _fold(ad.body))
    cross = [a for a in ads if "cross_border_bride" in a.indicators]
    assert cross and all(re.search(r"越南|缅甸|老挝|柬埔寨|巴基斯坦", a.title + a.body) for a in cross)


def test_phones_and_wechat_ids_are_recoverable_from_the_printed_contact(ads: list[Ad]) -> None:
    for ad in ads:
        digits = re.sub(r"\D", "", _fold(ad.contact_text).translate(_NUMERALS))
        for phone in ad.phones:
            assert phone.replace("-", "") in digits, (ad.contact_text, phone)
        for wechat in ad.wechat_ids:
            assert wechat in _fold(ad.contact_text) or wechat in ad.phones
    obfuscated = [
        a for a in ads if re.search(r"[一二三四五六七八九幺壹贰叁]{4}|V信|加薇|威信|vx", a.contact_text)
    ]
    assert len(obfuscated) >= 20


def test_printed_fields_appear_in_the_body(ads: list[Ad]) -> None:
    for ad in ads:
        if ad.kind == "job":
            assert ad.salary_text in ad.body and ad.age_text in ad.body
        assert ad.contact_text in ad.body or _fold(ad.contact_text) in _fold(ad.body)


def test_pay_truth_matches_the_printed_wording(ads: list[Ad]) -> None:
    checked = 0
    for ad in ads:
        text = ad.salary_text.translate(_DIGITS)
        if m := re.fullmatch(r"(\d+)元/天", text):
            assert ad.salary_min == ad.salary_max == round(int(m[1]) * 21.75)
            checked += 1
        elif m := re.fullmatch(r"(\d+)-(\d+)元/月", text):
            assert (ad.salary_min, ad.salary_max) == (int(m[1]), int(m[2]))
            checked += 1
        elif text == "面议":
            assert ad.salary_min is None and ad.salary_max is None
    assert checked > 50
    rng = random.Random(1)
    assert ad_parts.salary_wording(rng, 4350, 5000, "day")[1:] == (4350, 4350)


def test_age_truth_matches_the_printed_wording(ads: list[Ad]) -> None:
    for ad in ads:
        text = ad.age_text.translate(_DIGITS)
        if m := re.fullmatch(r"(?:男女不限，)?(\d+)-(\d+)(?:周岁|岁)", text):
            assert (ad.age_min, ad.age_max) == (int(m[1]), int(m[2]))
        elif m := re.fullmatch(r"(?:年满)?(\d+)(?:周岁|岁)(?:以上|即可)?", text):
            assert ad.age_min == int(m[1])


def test_credit_codes_are_valid(ads: list[Ad]) -> None:
    codes = [a.credit_code for a in ads if a.credit_code]
    assert len(codes) > 100
    for code in codes:
        assert uscc.is_valid(code), code
        assert ad_parts.org_code_check_char(code[8:16]) == code[16]


def test_uscc_check_character_on_a_published_example() -> None:
    assert ad_parts.uscc_check_char("91110108MA01G0FB0") == uscc.calc_check_digit("91110108MA01G0FB0")
    assert uscc.is_valid("91110108MA01G0FB09")


def test_locations_use_jiangsu_codes(ads: list[Ad]) -> None:
    assert ad_parts.COUNTY_NAMES["320115"] == "江宁区"
    assert ad_parts.COUNTY_NAMES["320583"] == "昆山市"
    assert ad_parts.CITY_BY_CODE["321300"].name == "宿迁市"
    for ad in ads:
        assert ad.province_code == "320000"
        assert ad.city_code in ad_parts.CITY_BY_CODE
        assert ad.location_text.startswith(ad_parts.CITY_BY_CODE[ad.city_code].name)
        if ad.county_code:
            assert ad.county_code[:4] == ad.city_code[:4]
            assert ad_parts.COUNTY_NAMES[ad.county_code] in ad.location_text


def test_licensed_agencies_print_their_licence(ads: list[Ad]) -> None:
    for ad in ads:
        if ad.licence_no:
            assert ad.licence_no in _fold(ad.body) and "no_licence_shown" not in ad.indicators
        if ad.credit_code and ad.kind == "marriage":
            assert ad.credit_code in _fold(ad.body)


def test_one_organisation_posts_under_varied_names_with_the_same_contacts(ads: list[Ad]) -> None:
    names: dict[str, set[str]] = defaultdict(set)
    for ad in ads:
        names[ad.org_key].add(ad.employer)
    varied = [key for key, shown in names.items() if len(shown) >= 2]
    assert len(varied) >= 10
    orgs = organisations(2014, 900, 300)
    for key in varied:
        org_phones = set(orgs[key].phones)
        assert all(set(a.phones) <= org_phones for a in ads if a.org_key == key)


def test_labelled_corpus_is_balanced_varied_and_has_hard_negatives() -> None:
    corpus = generate_labelled_corpus(11, 800, "job")
    assert corpus == generate_labelled_corpus(11, 800, "job")
    positives = [e for e in corpus if any(e.labels.values())]
    assert 0.22 <= len(positives) / len(corpus) <= 0.45
    assert sum(e.labels["child_labour"] for e in corpus) >= 50
    assert len({e.text for e in corpus}) >= len(corpus) * 0.99
    legal_deposit = [e for e in corpus if "押金" in e.text and not any(e.labels.values())]
    adult_summer = [e for e in corpus if re.search(r"暑假工|暑期工", e.text) and not e.labels["child_labour"]]
    licensed = [e for e in corpus if "人服证字" in e.text and not e.labels["illegal_agency"]]
    assert len(legal_deposit) >= 30 and len(adult_summer) >= 30 and len(licensed) >= 30
    assert {e.provenance for e in corpus} == {"synthetic:demo.ads:v1:seed=11"}
    assert all(e.kind == "job" for e in corpus)


def test_child_and_forced_labour_positives_of_every_kind_in_varied_wording() -> None:
    corpus = generate_labelled_corpus(11, 800, "job")
    child = [e for e in corpus if e.labels["child_labour"]]
    forced = [e for e in corpus if e.labels["forced_labour"]]
    assert len(child) >= 50 and all("under_16" in e.indicators for e in child)
    kinds = Counter("disabled" if "intellectually_disabled" in e.indicators else "practice" for e in forced)
    assert kinds["practice"] >= 25 and kinds["disabled"] >= 10, kinds
    # Each forced-labour practice alone makes a forced_labour case (the rule in synthetic_ads.ground_truth).
    single = [e for e in corpus if len(e.indicators & FORCED_LABOUR_INDICATORS) == 1]
    assert len(single) >= 10 and all(e.labels["forced_labour"] for e in single)
    texts = "\n".join(e.text for e in corpus)
    for bank in (F.ID_CARD_KEPT, F.WAGES_WITHHELD, F.NO_FREEDOM, F.DEBT_BONDAGE, F.INTELLECTUALLY_DISABLED):
        printed = [line for line in bank if re.search(_template(line), texts)]
        assert len(printed) >= 5, bank  # several sentence shapes, not one keyword


def _template(line: str) -> str:
    """A phrase-bank line as a regex: each {field} stands for a short filler."""
    return re.sub(r"\\\{\w+\\\}", ".{1,6}", re.escape(line))


def test_lawful_look_alikes_are_negatives() -> None:
    corpus = generate_labelled_corpus(11, 800, "job")
    lawful = [e for e in corpus if any(line in e.text for line in F.LAWFUL_TERMS)]
    assert len(lawful) >= 30 and not any(e.labels["child_labour"] for e in lawful)


def test_marriage_corpus_and_bad_kind() -> None:
    corpus = generate_labelled_corpus(5, 300, "marriage")
    share = sum(e.labels["illegal_marriage_broker"] for e in corpus) / len(corpus)
    assert 0.2 <= share <= 0.45
    with pytest.raises(ValueError):
        generate_labelled_corpus(5, 10, "tip")
