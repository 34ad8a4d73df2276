"""Registry CSV import: charsets, a validation report naming each bad row, idempotent upserts, ORFD."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from organisations.registry.csvfile import decode_bytes
from organisations.registry.importer import import_registry_file, import_registry_text
from organisations.registry.records import parse_date
from store.models import RegistryRecord
from tests.conftest import needs_real_data

ORFD = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "orfd" / "orfd_58_all.csv"

HR_CSV = """许可证编号,机构名称,统一社会信用代码,地址,服务范围,发证日期,有效期至
（苏）人服证字〔2019〕第05010001号,苏州鑫达人力资源有限公司,911101057776574230,苏州市吴中区,职业介绍,2019-03-01,2029-02-28
（苏）人服证字〔2019〕第05010002号,苏州宏远劳务派遣有限公司,911101057776574231,,,2019-03-01,2029-02-28
（苏）人服证字〔2019〕第05010003号,,,,,2019-03-01,2029-02-28
,无锡恒通人力资源有限公司,,,,2019-03-01,2029-02-28
（苏）人服证字〔2019〕第05010004号,南京华辰人力资源有限公司,,,,2019年3月1日,2019-02-28
（苏）人服证字〔2019〕第05010005号,南京瑞丰人力资源有限公司,,,,2019-02-30,长期
（苏）人服证字〔2019〕第05010001号,苏州鑫达人力资源有限公司,911101057776574230,苏州市吴中区,职业介绍,2019-03-01,2029-02-28
（苏）人服证字〔2019〕第05010001号,苏州鑫达人力（另一家）,911101057776574230,苏州市吴中区,职业介绍,2019-03-01,2029-02-28
（苏）人服证字〔2019〕第05010006号,"常州立信人力资源
有限公司",,,,20190301,
"""


def _count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(RegistryRecord)).scalar_one())


def test_validation_report_names_each_bad_row(session: Session) -> None:
    report = import_registry_text(session, "hr_agency", HR_CSV, file_name="hr.csv")
    assert [(r.line, r.code) for r in report.rejected] == [
        (3, "bad_credit_code"),
        (4, "missing_name"),
        (5, "missing_key"),
        (6, "dates_reversed"),
        (7, "bad_date"),
        (9, "duplicate"),
    ]
    assert "first at line 2" in report.rejected[-1].reason
    assert (report.rows_read, report.imported, report.duplicates) == (9, 2, 1)
    multiline = session.execute(
        select(RegistryRecord).where(RegistryRecord.registry_key.like("%05010006"))
    ).scalar_one()
    assert multiline.valid_from.isoformat() == "2019-03-01" and multiline.valid_to is None
    assert (
        multiline.name == "常州立信人力资源 有限公司"
    )  # the line break inside the quoted cell folds to a space


def test_reimport_is_idempotent(session: Session) -> None:
    import_registry_text(session, "hr_agency", HR_CSV, file_name="hr.csv")
    first = _count(session)
    import_registry_text(session, "hr_agency", HR_CSV, file_name="hr.csv")
    assert _count(session) == first == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_charsets_are_detected(tmp_path: Path, session: Session, encoding: str) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(HR_CSV.encode(encoding))
    report = import_registry_file(session, "hr_agency", path)
    assert report.imported == 2
    assert report.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    assert (
        session.execute(select(RegistryRecord.name).order_by(RegistryRecord.id)).scalars().first()
        == "苏州鑫达人力资源有限公司"
    )


def test_undecodable_bytes_are_refused() -> None:
    with pytest.raises(ValueError, match="neither UTF-8 nor GBK"):
        decode_bytes(b"name\n\x80\xff\xfe\n")


def test_dates() -> None:
    assert parse_date("2019年3月1日", "c").isoformat() == "2019-03-01"  # type: ignore[union-attr]
    assert parse_date("2005-07-21 00:00:00", "c").isoformat() == "2005-07-21"  # type: ignore[union-attr]
    assert parse_date("1800-12-31 00:00:00", "c") is None  # ORFD's "unknown" placeholder
    assert parse_date("长期", "c") is None


@pytest.mark.realdata
@needs_real_data(ORFD, "ORFD file")
def test_orfd_company_fields_import_as_business_registrations(session: Session) -> None:
    report = import_registry_file(session, "business", ORFD)
    print(
        f"\nORFD: {report.rows_read} rows, {report.imported} registrations imported, "
        f"{report.duplicates} identical repeats, rejected {dict(report.reasons())}"
    )
    assert report.rows_read == 8640
    assert report.imported == 562  # distinct valid credit codes
    assert report.reasons() == {"missing_key": 112}
    assert report.rows_read == report.imported + report.duplicates + len(report.rejected)
    record = session.execute(
        select(RegistryRecord).where(RegistryRecord.credit_code == "911101057776574230")
    ).scalar_one()
    assert record.name == "北京麦田房产经纪有限公司" and record.region_code == "110105"
    assert record.status and record.valid_from is not None and record.data.get("reg_capital")
    assert import_registry_file(session, "business", ORFD).imported == 562 and _count(session) == 562
