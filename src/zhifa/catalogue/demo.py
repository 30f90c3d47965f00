"""Demo catalogue: three real national laws with the articles the demo cites, power
items of two demo organs with their actual legal bases, discretion benchmarks, the
三张清单 and a review catalogue.

The statutory texts and fine ranges are those of the laws as in force since the
effective date given (excerpts are marked 节选). The benchmark bands — their
conditions and the split of the statutory range — are written for the demo and say so
in their description: they are not any organ's published benchmark.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from zhifa.registry import services as registry_services
from zhifa.registry.demo import demo_actor
from zhifa.registry.demo import organs as demo_organs
from zhifa.registry.models import Entrustment

from . import services
from .models import (
    Article,
    DiscretionBenchmark,
    Law,
    LawLevel,
    PowerCategory,
    PowerItem,
    ReviewCatalogueItem,
)

FSL = "中华人民共和国食品安全法"
APCL = "中华人民共和国大气污染防治法"
APL = "中华人民共和国行政处罚法"

#: name → (level, issuing body, promulgated on, effective from) of the revision used.
LAWS = {
    # 2021 amendment, in force on promulgation (2021-04-29).
    FSL: (LawLevel.LAW, "全国人民代表大会常务委员会", date(2021, 4, 29), date(2021, 4, 29)),
    # 2018 amendment, in force on promulgation (2018-10-26).
    APCL: (LawLevel.LAW, "全国人民代表大会常务委员会", date(2018, 10, 26), date(2018, 10, 26)),
    # 2021 revision, adopted 2021-01-22, in force 2021-07-15.
    APL: (LawLevel.LAW, "全国人民代表大会常务委员会", date(2021, 1, 22), date(2021, 7, 15)),
}

#: (law, article, order, text)
ARTICLES = [
    (
        FSL,
        "第三十五条",
        35,
        "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。"
        "但是，销售食用农产品和仅销售预包装食品的，不需要取得许可。仅销售预包装食品的，"
        "应当报所在地县级以上地方人民政府食品安全监督管理部门备案。（节选第一款）",
    ),
    (
        FSL,
        "第四十五条",
        45,
        "食品生产经营者应当建立并执行从业人员健康管理制度。患有国务院卫生行政部门规定的有碍"
        "食品安全疾病的人员，不得从事接触直接入口食品的工作。\n"
        "从事接触直接入口食品工作的食品生产经营人员应当每年进行健康检查，取得健康证明后方可"
        "上岗工作。",
    ),
    (
        FSL,
        "第一百二十二条",
        122,
        "违反本法规定，未取得食品生产经营许可从事食品生产经营活动，或者未取得食品添加剂生产"
        "许可从事食品添加剂生产活动的，由县级以上人民政府食品安全监督管理部门没收违法所得和"
        "违法生产经营的食品、食品添加剂以及用于违法生产经营的工具、设备、原料等物品；违法生产"
        "经营的食品、食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额"
        "一万元以上的，并处货值金额十倍以上二十倍以下罚款。（节选第一款）",
    ),
    (
        FSL,
        "第一百二十六条",
        126,
        "违反本法规定，有下列情形之一的，由县级以上人民政府食品安全监督管理部门责令改正，给予"
        "警告；拒不改正的，处五千元以上五万元以下罚款；情节严重的，责令停产停业，直至吊销"
        "许可证：……（六）食品生产经营者安排未取得健康证明或者患有国务院卫生行政部门规定的有碍"
        "食品安全疾病的人员从事接触直接入口食品的工作；……（节选）",
    ),
    (
        APCL,
        "第八十一条",
        81,
        "排放油烟的餐饮服务业经营者应当安装油烟净化设施并保持正常使用，或者采取其他油烟净化"
        "措施，使油烟达标排放，并防止对附近居民的正常生活环境造成污染。（节选第一款）",
    ),
    (
        APCL,
        "第一百一十八条",
        118,
        "违反本法规定，排放油烟的餐饮服务业经营者未安装油烟净化设施、不正常使用油烟净化设施"
        "或者未采取其他油烟净化措施，超过排放标准排放油烟的，由县级以上地方人民政府确定的监督"
        "管理部门责令改正，处五千元以上五万元以下的罚款；拒不改正的，责令停业整治。"
        "（节选第一款）",
    ),
    (
        APL,
        "第三十二条",
        32,
        "当事人有下列情形之一，应当从轻或者减轻行政处罚：（一）主动消除或者减轻违法行为危害"
        "后果的；（二）受他人胁迫或者诱骗实施违法行为的；（三）主动供述行政机关尚未掌握的违法"
        "行为的；（四）配合行政机关查处违法行为有立功表现的；（五）法律、法规、规章规定其他应当"
        "从轻或者减轻行政处罚的。",
    ),
    (
        APL,
        "第三十三条",
        33,
        "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时"
        "改正的，可以不予行政处罚。\n当事人有证据足以证明没有主观过错的，不予行政处罚。法律、"
        "行政法规另有规定的，从其规定。\n对当事人的违法行为依法不予行政处罚的，行政机关应当对"
        "当事人进行教育。",
    ),
    (
        APL,
        "第五十八条",
        58,
        "有下列情形之一，在行政机关负责人作出行政处罚的决定之前，应当由从事行政处罚决定法制审核"
        "的人员进行法制审核；未经法制审核或者审核未通过的，不得作出决定：（一）涉及重大公共利益"
        "的；（二）直接关系当事人或者第三人重大权益，经过听证程序的；（三）案件情况疑难复杂、"
        "涉及多个法律关系的；（四）法律、法规规定应当进行法制审核的其他情形。（节选第一款）",
    ),
]

DEMO_NOTE = (
    "演示数据：各档位的适用条件和罚款幅度为演示而编写，不是任何机关公布的裁量基准；"
    "法定处罚幅度摘自所引法律条文。"
)

#: (organ key, code, name, category, basis [(law, article)], responsibilities)
POWER_ITEMS = [
    (
        "amr",
        "JXSJ-CF-001",
        "对未取得食品生产经营许可从事食品生产经营活动的行政处罚",
        PowerCategory.PENALTY,
        [(FSL, "第三十五条"), (FSL, "第一百二十二条")],
        "立案责任、调查责任、审查责任、告知责任、决定责任、送达责任、执行责任",
    ),
    (
        "amr",
        "JXSJ-CF-002",
        "对食品生产经营者安排未取得健康证明的人员从事接触直接入口食品工作的行政处罚",
        PowerCategory.PENALTY,
        [(FSL, "第四十五条"), (FSL, "第一百二十六条")],
        "立案责任、调查责任、审查责任、告知责任、决定责任、送达责任、执行责任",
    ),
    (
        "amr",
        "JXSJ-XK-001",
        "食品经营许可",
        PowerCategory.LICENSING,
        [(FSL, "第三十五条")],
        "受理责任、审查责任、决定责任、送达责任、事后监管责任",
    ),
    (
        "cle_b",
        "HYZZ-CF-001",
        "对餐饮服务业经营者超过排放标准排放油烟的行政处罚",
        PowerCategory.PENALTY,
        [(APCL, "第八十一条"), (APCL, "第一百一十八条")],
        "立案责任、调查责任、审查责任、告知责任、决定责任、送达责任、执行责任",
    ),
]

#: (power item code, violation, penalty article, statutory range, min, max, bands)
BENCHMARKS: list[tuple[Any, ...]] = [
    (
        "JXSJ-CF-001",
        "未取得食品经营许可从事食品经营活动，违法经营的食品货值金额不足一万元",
        (FSL, "第一百二十二条"),
        "没收违法所得和违法生产经营的食品以及用于违法生产经营的工具、设备、原料等物品；"
        "货值金额不足一万元的，并处五万元以上十万元以下罚款",
        Decimal(50000),
        Decimal(100000),
        [
            (
                "mitigated",
                "具有《中华人民共和国行政处罚法》第三十二条规定的情形，"
                "如主动消除或者减轻违法行为危害后果",
                "没收违法所得和违法经营的食品，并处罚款",
                Decimal(20000),
                Decimal(50000),
            ),
            (
                "lighter",
                "立案前主动停止违法行为并申请办理许可，货值金额不足二千元",
                "没收违法所得和违法经营的食品，并处罚款",
                Decimal(50000),
                Decimal(65000),
            ),
            (
                "general",
                "不具有从轻、减轻或者从重情形",
                "没收违法所得和违法经营的食品，并处罚款",
                Decimal(65000),
                Decimal(85000),
            ),
            (
                "heavier",
                "经营的食品造成消费者健康损害，或者被责令停止后继续经营",
                "没收违法所得和违法经营的食品，并处罚款",
                Decimal(85000),
                Decimal(100000),
            ),
        ],
    ),
    (
        "JXSJ-CF-002",
        "安排未取得健康证明的人员从事接触直接入口食品的工作",
        (FSL, "第一百二十六条"),
        "责令改正，给予警告；拒不改正的，处五千元以上五万元以下罚款；情节严重的，"
        "责令停产停业，直至吊销许可证",
        Decimal(5000),
        Decimal(50000),
        [
            (
                "no_penalty",
                "初次违法，涉及一名从业人员，危害后果轻微并在责令改正期限内取得健康"
                "证明（《中华人民共和国行政处罚法》第三十三条第一款）",
                "不予行政处罚，进行教育",
                None,
                None,
            ),
            (
                "lighter",
                "拒不改正，涉及一名从业人员，且配合调查、如实陈述",
                "罚款",
                Decimal(5000),
                Decimal(20000),
            ),
            ("general", "拒不改正", "罚款", Decimal(20000), Decimal(35000)),
            (
                "heavier",
                "拒不改正，涉及三名以上从业人员，或者从业人员患有有碍食品安全疾病",
                "罚款",
                Decimal(35000),
                Decimal(50000),
            ),
        ],
    ),
    (
        "HYZZ-CF-001",
        "餐饮服务业经营者未安装油烟净化设施、不正常使用油烟净化设施或者未采取其他油烟净化"
        "措施，超过排放标准排放油烟",
        (APCL, "第一百一十八条"),
        "责令改正，处五千元以上五万元以下的罚款；拒不改正的，责令停业整治",
        Decimal(5000),
        Decimal(50000),
        [
            (
                "no_penalty",
                "初次违法，未造成周边居民投诉，并在责令改正期限内改正"
                "（《中华人民共和国行政处罚法》第三十三条第一款）",
                "不予行政处罚，进行教育",
                None,
                None,
            ),
            ("lighter", "经营面积较小，主动改正，未被投诉", "罚款", Decimal(5000), Decimal(15000)),
            ("general", "不具有从轻或者从重情形", "罚款", Decimal(15000), Decimal(35000)),
            (
                "heavier",
                "被多次投诉，或者曾因同一违法行为受过处罚",
                "罚款",
                Decimal(35000),
                Decimal(50000),
            ),
        ],
    ),
]

#: (organ key, matter, criteria, basis)
REVIEW_ENTRIES = [
    (
        "amr",
        "拟作出吊销许可证件、责令停产停业、责令关闭、限制从业的行政处罚决定",
        "处罚种类属于上述之一的",
        "《中华人民共和国行政处罚法》第五十八条、第六十三条；国办发〔2018〕118号",
    ),
    (
        "amr",
        "拟作出较大数额罚款、没收较大数额违法所得或者较大价值非法财物的行政处罚决定",
        "数额达到本省规定的较大数额标准的",
        "《中华人民共和国行政处罚法》第五十八条、第六十三条；国办发〔2018〕118号",
    ),
    (
        "amr",
        "涉及重大公共利益，或者案件情况疑难复杂、涉及多个法律关系的行政处罚决定",
        "经承办机构或者法制审核机构认定属于上述情形的",
        "《中华人民共和国行政处罚法》第五十八条第一款第一项、第三项",
    ),
    (
        "amr",
        "直接关系当事人或者第三人重大权益，经过听证程序的行政处罚决定",
        "案件经过听证程序的",
        "《中华人民共和国行政处罚法》第五十八条第一款第二项",
    ),
]


def _article(law: str, number: str) -> Article:
    return Article.objects.select_related("law").get(law__name=law, number=number)


def load(out: TextIO) -> None:
    # The demo supervisor of 嘉兴市: law-text changes go to 嘉兴市司法局's chain, the
    # organs' lists to each organ's chain (see services.law_record_organ).
    actor = demo_actor()
    for name, (level, body, promulgated, effective) in LAWS.items():
        if not Law.objects.filter(name=name).exists():
            services.save_law(
                actor=actor,
                name=name,
                level=level,
                issuing_body=body,
                promulgated_on=promulgated,
                valid_from=effective,
            )
    laws = {law.name: law for law in Law.objects.filter(name__in=LAWS)}
    for law_name, number, ordinal, text in ARTICLES:
        if not Article.objects.filter(law__name=law_name, number=number).exists():
            services.add_article(
                laws[law_name], actor=actor, number=number, text=text, ordinal=ordinal
            )

    organs = demo_organs()
    items: dict[str, PowerItem] = {}
    for organ_key, code, name, category, basis, responsibilities in POWER_ITEMS:
        organ = organs[organ_key]
        existing = PowerItem.objects.filter(subject=organ, code=code).first()
        items[code] = services.save_power_item(
            existing,
            actor=actor,
            subject=organ,
            basis=[_article(law, number) for law, number in basis],
            code=code,
            name=name,
            category=category,
            responsibilities=responsibilities,
            valid_from=date(2024, 1, 1),
            published=True,
            published_on=date(2024, 1, 1),
        )
    for code, violation, (law, number), statutory, low, high, bands in BENCHMARKS:
        item = items[code]
        existing_benchmark = DiscretionBenchmark.objects.filter(
            power_item=item, violation=violation, valid_from=date(2024, 1, 1)
        ).first()
        services.save_benchmark(
            existing_benchmark,
            actor=actor,
            power_item=item,
            violation=violation,
            penalty_article=_article(law, number),
            statutory_range=statutory,
            statutory_min=low,
            statutory_max=high,
            description=DEMO_NOTE,
            valid_from=date(2024, 1, 1),
            published=True,
            published_on=date(2024, 1, 1),
            bands_data=[
                {
                    "circumstance": c,
                    "conditions": conditions,
                    "penalty": penalty,
                    "fine_min": fmin,
                    "fine_max": fmax,
                }
                for c, conditions, penalty, fmin, fmax in bands
            ],
        )
    for organ_key, title, criteria, basis in REVIEW_ENTRIES:
        organ = organs[organ_key]
        if not ReviewCatalogueItem.objects.filter(organ=organ, title=title).exists():
            services.save_review_entry(
                actor=actor,
                organ=organ,
                title=title,
                criteria=criteria,
                basis=basis,
                category=PowerCategory.PENALTY,
                valid_from=date(2024, 1, 1),
                published=True,
                published_on=date(2024, 1, 1),
            )
    entrustment = Entrustment.objects.filter(
        entrusting_organ=organs["cle_b"], entrusted=organs["entrusted_b"]
    ).first()
    if entrustment is not None:
        # Records an entrustment.update only when the entrusted items change.
        registry_services.update_entrustment(
            entrustment, power_items=[items["HYZZ-CF-001"]], actor=actor
        )
    out.write(
        f"demo: {Law.objects.count()} laws, {Article.objects.count()} articles, "
        f"{PowerItem.objects.count()} power items, "
        f"{DiscretionBenchmark.objects.count()} benchmarks (bands are demo data), "
        f"{ReviewCatalogueItem.objects.count()} review catalogue entries\n"
    )
