"""Administrative divisions (GB/T 2260 six-digit codes): all of Jiangsu to county level, the rest of China
to prefecture level, and the districts of the cities in ORFD (北京, 上海, 广州, 深圳).

Codes are the current ones (Nantong's 2020 merger of 崇川/港闸 into 320613 and 海门 becoming 320614
included). 苏州工业园区 (320571, the statistical code) is kept as a well-known non-administrative area under
苏州 city; it is marked ``administrative=False``. Municipalities get a city-level row (110100 北京市) so
``city_of`` works the same everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Level = Literal["province", "city", "county"]

# "code+full name" tokens; level and parent follow from the code itself (xx0000, xxxx00, xxxxxx).
_TABLE = """
110000北京市
110100北京市 110101东城区 110102西城区 110105朝阳区 110106丰台区
110107石景山区 110108海淀区 110109门头沟区 110111房山区
110112通州区 110113顺义区 110114昌平区 110115大兴区 110116怀柔区
110117平谷区 110118密云区 110119延庆区
120000天津市 120100天津市
130000河北省 130100石家庄市 130200唐山市 130300秦皇岛市
130400邯郸市 130500邢台市 130600保定市 130700张家口市 130800承德市
130900沧州市 131000廊坊市 131100衡水市
140000山西省 140100太原市 140200大同市 140300阳泉市 140400长治市
140500晋城市 140600朔州市 140700晋中市 140800运城市 140900忻州市
141000临汾市 141100吕梁市
150000内蒙古自治区 150100呼和浩特市 150200包头市 150300乌海市
150400赤峰市 150500通辽市 150600鄂尔多斯市 150700呼伦贝尔市
150800巴彦淖尔市 150900乌兰察布市 152200兴安盟 152500锡林郭勒盟
152900阿拉善盟
210000辽宁省 210100沈阳市 210200大连市 210300鞍山市 210400抚顺市
210500本溪市 210600丹东市 210700锦州市 210800营口市 210900阜新市
211000辽阳市 211100盘锦市 211200铁岭市 211300朝阳市 211400葫芦岛市
220000吉林省 220100长春市 220200吉林市 220300四平市 220400辽源市
220500通化市 220600白山市 220700松原市 220800白城市
222400延边朝鲜族自治州
230000黑龙江省 230100哈尔滨市 230200齐齐哈尔市 230300鸡西市
230400鹤岗市 230500双鸭山市 230600大庆市 230700伊春市
230800佳木斯市 230900七台河市 231000牡丹江市 231100黑河市
231200绥化市 232700大兴安岭地区
310000上海市
310100上海市 310101黄浦区 310104徐汇区 310105长宁区 310106静安区
310107普陀区 310109虹口区 310110杨浦区 310112闵行区 310113宝山区
310114嘉定区 310115浦东新区 310116金山区 310117松江区 310118青浦区
310120奉贤区 310151崇明区
320000江苏省
320100南京市 320102玄武区 320104秦淮区 320105建邺区 320106鼓楼区
320111浦口区 320113栖霞区 320114雨花台区 320115江宁区 320116六合区
320117溧水区 320118高淳区
320200无锡市 320205锡山区 320206惠山区 320211滨湖区 320213梁溪区
320214新吴区 320281江阴市 320282宜兴市
320300徐州市 320302鼓楼区 320303云龙区 320305贾汪区 320311泉山区
320312铜山区 320321丰县 320322沛县 320324睢宁县 320381新沂市
320382邳州市
320400常州市 320402天宁区 320404钟楼区 320411新北区 320412武进区
320413金坛区 320481溧阳市
320500苏州市 320505虎丘区 320506吴中区 320507相城区 320508姑苏区
320509吴江区 320581常熟市 320582张家港市 320583昆山市 320585太仓市
320571苏州工业园区
320600南通市 320612通州区 320613崇川区 320614海门区 320623如东县
320681启东市 320682如皋市 320685海安市
320700连云港市 320703连云区 320706海州区 320707赣榆区 320722东海县
320723灌云县 320724灌南县
320800淮安市 320803淮安区 320804淮阴区 320812清江浦区 320813洪泽区
320826涟水县 320830盱眙县 320831金湖县
320900盐城市 320902亭湖区 320903盐都区 320904大丰区 320921响水县
320922滨海县 320923阜宁县 320924射阳县 320925建湖县 320981东台市
321000扬州市 321002广陵区 321003邗江区 321012江都区 321023宝应县
321081仪征市 321084高邮市
321100镇江市 321102京口区 321111润州区 321112丹徒区 321181丹阳市
321182扬中市 321183句容市
321200泰州市 321202海陵区 321203高港区 321204姜堰区 321281兴化市
321282靖江市 321283泰兴市
321300宿迁市 321302宿城区 321311宿豫区 321322沭阳县 321323泗阳县
321324泗洪县
330000浙江省 330100杭州市 330200宁波市 330300温州市 330400嘉兴市
330500湖州市 330600绍兴市 330700金华市 330800衢州市 330900舟山市
331000台州市 331100丽水市
340000安徽省 340100合肥市 340200芜湖市 340300蚌埠市 340400淮南市
340500马鞍山市 340600淮北市 340700铜陵市 340800安庆市 341000黄山市
341100滁州市 341200阜阳市 341300宿州市 341500六安市 341600亳州市
341700池州市 341800宣城市
350000福建省 350100福州市 350200厦门市 350300莆田市 350400三明市
350500泉州市 350600漳州市 350700南平市 350800龙岩市 350900宁德市
360000江西省 360100南昌市 360200景德镇市 360300萍乡市 360400九江市
360500新余市 360600鹰潭市 360700赣州市 360800吉安市 360900宜春市
361000抚州市 361100上饶市
370000山东省 370100济南市 370200青岛市 370300淄博市 370400枣庄市
370500东营市 370600烟台市 370700潍坊市 370800济宁市 370900泰安市
371000威海市 371100日照市 371300临沂市 371400德州市 371500聊城市
371600滨州市 371700菏泽市
410000河南省 410100郑州市 410200开封市 410300洛阳市 410400平顶山市
410500安阳市 410600鹤壁市 410700新乡市 410800焦作市 410900濮阳市
411000许昌市 411100漯河市 411200三门峡市 411300南阳市 411400商丘市
411500信阳市 411600周口市 411700驻马店市
420000湖北省 420100武汉市 420200黄石市 420300十堰市 420500宜昌市
420600襄阳市 420700鄂州市 420800荆门市 420900孝感市 421000荆州市
421100黄冈市 421200咸宁市 421300随州市 422800恩施土家族苗族自治州
430000湖南省 430100长沙市 430200株洲市 430300湘潭市 430400衡阳市
430500邵阳市 430600岳阳市 430700常德市 430800张家界市 430900益阳市
431000郴州市 431100永州市 431200怀化市 431300娄底市
433100湘西土家族苗族自治州
440000广东省
440100广州市 440103荔湾区 440104越秀区 440105海珠区 440106天河区
440111白云区 440112黄埔区 440113番禺区 440114花都区 440115南沙区
440117从化区 440118增城区
440200韶关市
440300深圳市 440303罗湖区 440304福田区 440305南山区 440306宝安区
440307龙岗区 440308盐田区 440309龙华区 440310坪山区 440311光明区
440400珠海市 440500汕头市 440600佛山市 440700江门市 440800湛江市
440900茂名市 441200肇庆市 441300惠州市 441400梅州市 441500汕尾市
441600河源市 441700阳江市 441800清远市 441900东莞市 442000中山市
445100潮州市 445200揭阳市 445300云浮市
450000广西壮族自治区 450100南宁市 450200柳州市 450300桂林市
450400梧州市 450500北海市 450600防城港市 450700钦州市 450800贵港市
450900玉林市 451000百色市 451100贺州市 451200河池市 451300来宾市
451400崇左市
460000海南省 460100海口市 460200三亚市 460300三沙市 460400儋州市
500000重庆市 500100重庆市
510000四川省 510100成都市 510300自贡市 510400攀枝花市 510500泸州市
510600德阳市 510700绵阳市 510800广元市 510900遂宁市 511000内江市
511100乐山市 511300南充市 511400眉山市 511500宜宾市 511600广安市
511700达州市 511800雅安市 511900巴中市 512000资阳市
513200阿坝藏族羌族自治州 513300甘孜藏族自治州 513400凉山彝族自治州
520000贵州省 520100贵阳市 520200六盘水市 520300遵义市 520400安顺市
520500毕节市 520600铜仁市 522300黔西南布依族苗族自治州
522600黔东南苗族侗族自治州 522700黔南布依族苗族自治州
530000云南省 530100昆明市 530300曲靖市 530400玉溪市 530500保山市
530600昭通市 530700丽江市 530800普洱市 530900临沧市
532300楚雄彝族自治州 532500红河哈尼族彝族自治州 532600文山壮族苗族自治州
532800西双版纳傣族自治州 532900大理白族自治州 533100德宏傣族景颇族自治州
533300怒江傈僳族自治州 533400迪庆藏族自治州
540000西藏自治区 540100拉萨市 540200日喀则市 540300昌都市
540400林芝市 540500山南市 540600那曲市 542500阿里地区
610000陕西省 610100西安市 610200铜川市 610300宝鸡市 610400咸阳市
610500渭南市 610600延安市 610700汉中市 610800榆林市 610900安康市
611000商洛市
620000甘肃省 620100兰州市 620200嘉峪关市 620300金昌市 620400白银市
620500天水市 620600武威市 620700张掖市 620800平凉市 620900酒泉市
621000庆阳市 621100定西市 621200陇南市 622900临夏回族自治州
623000甘南藏族自治州
630000青海省 630100西宁市 630200海东市 632200海北藏族自治州
632300黄南藏族自治州 632500海南藏族自治州 632600果洛藏族自治州
632700玉树藏族自治州 632800海西蒙古族藏族自治州
640000宁夏回族自治区 640100银川市 640200石嘴山市 640300吴忠市
640400固原市 640500中卫市
650000新疆维吾尔自治区 650100乌鲁木齐市 650200克拉玛依市 650400吐鲁番市
650500哈密市 652300昌吉回族自治州 652700博尔塔拉蒙古自治州
652800巴音郭楞蒙古自治州 652900阿克苏地区 653000克孜勒苏柯尔克孜自治州
653100喀什地区 653200和田地区 654000伊犁哈萨克自治州 654200塔城地区
654300阿勒泰地区
710000台湾省
810000香港特别行政区
820000澳门特别行政区
"""

_NON_ADMINISTRATIVE = frozenset({"320571"})
_SHORT_OVERRIDES = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "西藏自治区": "西藏",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
    "苏州工业园区": "苏州工业园区",
}
_ETHNIC = "朝鲜|土家|苗|侗|布依|藏|羌|彝|哈尼|壮|傣|景颇|傈僳|白|回|蒙古|哈萨克|柯尔克孜"
_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "新区", "盟", "省", "市", "区", "县")


@dataclass(frozen=True)
class Region:
    """One administrative division."""

    code: str
    name: str
    short: str
    level: Level
    parent: str | None
    administrative: bool = True


def _level_of(code: str) -> Level:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def _parent_of(code: str) -> str | None:
    level = _level_of(code)
    if level == "province":
        return None
    return code[:2] + "0000" if level == "city" else code[:4] + "00"


def short_name(name: str) -> str:
    """The everyday name: 江宁区 -> 江宁, 延边朝鲜族自治州 -> 延边; one-character stems keep it (沛县)."""
    if name in _SHORT_OVERRIDES:
        return _SHORT_OVERRIDES[name]
    ethnic = re.match(rf"^(.{{2,4}}?)(?:{_ETHNIC})族?.*自治州$", name)
    if ethnic:
        return ethnic.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def _index() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for token in _TABLE.split():
        code, name = token[:6], token[6:]
        regions[code] = Region(
            code=code,
            name=name,
            short=short_name(name),
            level=_level_of(code),
            parent=_parent_of(code),
            administrative=code not in _NON_ADMINISTRATIVE,
        )
    return regions


@lru_cache(maxsize=1)
def _children() -> dict[str, tuple[Region, ...]]:
    grouped: dict[str, list[Region]] = {}
    for region in _index().values():
        if region.parent is not None:
            grouped.setdefault(region.parent, []).append(region)
    return {parent: tuple(sorted(kids, key=lambda r: r.code)) for parent, kids in grouped.items()}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[Region, ...]]:
    grouped: dict[str, list[Region]] = {}
    for region in _index().values():
        for key in {region.name, region.short}:
            grouped.setdefault(key, []).append(region)
    return {name: tuple(found) for name, found in grouped.items()}


def get_region(code: str | None) -> Region | None:
    """The region with this code, or None."""
    return _index().get(code) if code else None


def region_name(code: str | None) -> str:
    """The full name for a code ("" when unknown)."""
    region = get_region(code)
    return region.name if region else ""


def all_regions() -> list[Region]:
    """Every region, ordered by code."""
    return sorted(_index().values(), key=lambda r: r.code)


def provinces() -> list[Region]:
    """All province-level divisions."""
    return [r for r in all_regions() if r.level == "province"]


def cities(province: str = "320000") -> list[Region]:
    """The prefecture-level cities of a province (Jiangsu by default)."""
    return [r for r in _children().get(province, ()) if r.level == "city"]


def counties(city_code: str, *, administrative_only: bool = False) -> list[Region]:
    """Districts, county-level cities and counties of a city (plus 苏州工业园区 unless excluded)."""
    kids = _children().get(city_code, ())
    return [r for r in kids if r.level == "county" and (r.administrative or not administrative_only)]


def regions_named(name: str) -> tuple[Region, ...]:
    """Regions whose full or short name is exactly ``name`` (鼓楼区 -> 南京 and 徐州)."""
    return _by_name().get(name, ())


def city_of(code: str | None) -> str | None:
    """The city code of a county (a city maps to itself; provinces and unknown codes to None)."""
    region = get_region(code)
    if region is None or region.level == "province":
        return None
    return region.code if region.level == "city" else region.parent


def province_of(code: str | None) -> str | None:
    """The province code of any region, or None when unknown."""
    region = get_region(code)
    return region.code[:2] + "0000" if region else None


def is_within(code: str | None, ancestor_code: str | None) -> bool:
    """True when ``code`` is ``ancestor_code`` or lies inside it (a 320500 user may see 320505)."""
    region = get_region(code)
    while region is not None:
        if region.code == ancestor_code:
            return True
        region = get_region(region.parent)
    return False
