"""Licence checks: is an organisation that acts as a job agency or marriage broker registered for it?

An organisation acts as a job agency when its listings claim it (中介, 劳务派遣, 人力资源 in its name or
text), show it recruiting for several employers, or charge job seekers fees (就业促进法 第四十条,
人力资源市场暂行条例 第十八条 require a 人力资源服务许可证). Its licence is looked up in the hr_agency
registry by licence number, credit code, then normalised name; marriage brokers are looked up in the
marriage_agency registry. The outcome goes to col(Organisation.kind), licence_status and flags, each flag with
its evidence (listing ids, phrases, registry record), for the risk model and the market officer's view.
When a registry has not been imported at all, status stays ``unknown``: absence from an empty register
proves nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from organisations.linking.keys import normalise_licence
from organisations.linking.names import FAMILY_MARK, name_key
from organisations.registry.records import is_current
from organisations.registry.signals import agency_claims, fee_phrases, many_employers
from store.enums import LicenceStatus, OrgKind, RegistryKind
from store.models import Listing, Organisation, RegistryRecord
from store.types import beijing_today, utcnow

MAX_EVIDENCE = 10  # listing ids and phrases kept per flag: enough to act on, small enough to show


@dataclass
class Conduct:
    """What an organisation's listings show about it."""

    job_listings: list[int] = field(default_factory=list)
    marriage_listings: list[int] = field(default_factory=list)
    claims: dict[int, list[str]] = field(default_factory=dict)
    employers: dict[int, list[str]] = field(default_factory=dict)
    fees: dict[int, list[str]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)

    @property
    def acts_as_agency(self) -> bool:
        return bool(self.claims or self.employers or self.fees)

    def evidence(self, *groups: dict[int, list[str]]) -> dict[str, Any]:
        ids = sorted({i for g in groups for i in g})[:MAX_EVIDENCE]
        phrases = sorted({p for g in groups for ps in g.values() for p in ps})[:MAX_EVIDENCE]
        return {"listing_ids": ids, "phrases": phrases}


def _name_claims(name: str | None) -> list[str]:
    key = name_key(name) or ""
    return [f"名称：{name}"] if key.endswith(FAMILY_MARK + "人力") else []


def _conduct(session: Session) -> dict[int, Conduct]:
    """Per organisation, the signals found in its listings."""
    columns = (
        col(Listing.id),
        col(Listing.organisation_id),
        col(Listing.kind),
        col(Listing.employer_name),
        col(Listing.title),
        col(Listing.body),
    )
    statement = select(*columns).where(col(Listing.organisation_id).is_not(None)).order_by(col(Listing.id))
    found: dict[int, Conduct] = defaultdict(Conduct)
    for listing_id, org_id, kind, employer, title, body in session.execute(statement):
        conduct, text = found[org_id], f"{title}\n{body}"
        conduct.names |= {employer} if employer else set()
        if kind == "marriage":
            conduct.marriage_listings.append(listing_id)
            continue
        conduct.job_listings.append(listing_id)
        for target, phrases in (
            (conduct.claims, agency_claims(text) + _name_claims(employer)),
            (conduct.employers, many_employers(text)),
            (conduct.fees, fee_phrases(text)),
        ):
            if phrases:
                target[listing_id] = phrases
    return found


@dataclass
class _Registry:
    """One registry kind indexed by licence, credit code and normalised name."""

    size: int = 0
    by_licence: dict[str, RegistryRecord] = field(default_factory=dict)
    by_credit: dict[str, RegistryRecord] = field(default_factory=dict)
    by_name: dict[str, RegistryRecord] = field(default_factory=dict)

    def match(self, org: Organisation, names: Iterable[str]) -> tuple[RegistryRecord | None, str]:
        """The record for ORG and what matched it (licence, credit_code, name)."""
        identifiers = org.identifiers or {}
        for licence in [org.licence_no, *identifiers.get("licences", [])]:
            record = self.by_licence.get(normalise_licence(licence) or "")
            if record:
                return record, "licence"
        for code in [org.credit_code, *identifiers.get("credit_codes", [])]:
            if code and code in self.by_credit:
                return self.by_credit[code], "credit_code"
        for key in sorted({k for k in map(name_key, names) if k}):
            if key in self.by_name:
                return self.by_name[key], "name"
        return None, ""


def _load_registry(session: Session, kind: RegistryKind) -> _Registry:
    registry = _Registry()
    statement = (
        select(RegistryRecord).where(col(RegistryRecord.kind) == kind.value).order_by(col(RegistryRecord.id))
    )
    for record in session.execute(statement).scalars():
        registry.size += 1
        if record.licence_no:
            registry.by_licence.setdefault(normalise_licence(record.licence_no) or "", record)
        if record.credit_code:
            registry.by_credit.setdefault(record.credit_code, record)
        if record.normalised_name:
            registry.by_name.setdefault(record.normalised_name, record)
    return registry


def _record_evidence(record: RegistryRecord, matched_by: str) -> dict[str, Any]:
    return {
        "id": record.id, "kind": record.kind, "registry_key": record.registry_key, "name": record.name,
        "licence_no": record.licence_no, "credit_code": record.credit_code, "status": record.status,
        "valid_to": record.valid_to.isoformat() if record.valid_to else None, "matched_by": matched_by,
    }  # fmt: skip


def _flag(code: str, detail: str, evidence: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "detail": detail, "evidence": evidence}


@dataclass(frozen=True)
class _Check:
    """A registry verdict: status plus the flag that explains a bad one."""

    status: LicenceStatus
    flag: dict[str, Any] | None
    record: RegistryRecord | None


def _names_match(record: RegistryRecord, names: Iterable[str]) -> bool:
    keys = {k for k in map(name_key, names) if k}
    return record.normalised_name in keys or not keys


def _verdict(
    org: Organisation,
    names: set[str],
    registry: _Registry,
    evidence: dict[str, Any],
    today: date,
    codes: dict[str, str],
) -> _Check:
    """missing / expired / name_mismatch / valid against one registry (unknown when it is empty)."""
    if registry.size == 0:
        return _Check(LicenceStatus.unknown, None, None)
    record, matched_by = registry.match(org, names)
    if record is None:
        claimed = sorted((org.identifiers or {}).get("licences", []))
        detail = codes["missing_detail"] + (
            f"; claimed number(s) {', '.join(claimed)} not in the register" if claimed else ""
        )
        return _Check(
            LicenceStatus.missing, _flag(codes["missing"], detail, evidence | {"registry_record": None}), None
        )
    full = evidence | {"registry_record": _record_evidence(record, matched_by)}
    if not is_current(record.valid_to, record.status, today):
        detail = (
            f"registration {record.registry_key} of {record.name} ended {record.valid_to or record.status}"
        )
        return _Check(LicenceStatus.expired, _flag(codes["expired"], detail, full), record)
    if not _names_match(record, names):
        detail = f"registered as {record.name}; advertises as {', '.join(sorted(names)[:5])}"
        return _Check(LicenceStatus.name_mismatch, _flag("licence_name_mismatch", detail, full), record)
    return _Check(LicenceStatus.valid, None, record)


_AGENCY_CODES = {
    "missing": "unlicensed_agency",
    "missing_detail": "acts as a job agency with no human-resources service licence in the register",
    "expired": "licence_expired",
}
_BROKER_CODES = {
    "missing": "unregistered_marriage_agency",
    "missing_detail": "brokers marriages with no marriage-agency registration in the register",
    "expired": "marriage_registration_expired",
}


@dataclass
class LicenceReport:
    """Counts of a licence-check run."""

    organisations: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    flagged: int = 0


def _check_org(
    org: Organisation, conduct: Conduct, registries: dict[RegistryKind, _Registry], today: date
) -> None:
    flags: list[dict[str, Any]] = []
    if len(conduct.marriage_listings) > len(conduct.job_listings):
        org.kind = OrgKind.broker
        evidence = {"listing_ids": conduct.marriage_listings[:MAX_EVIDENCE], "phrases": []}
        check = _verdict(
            org, conduct.names, registries[RegistryKind.marriage_agency], evidence, today, _BROKER_CODES
        )
    elif conduct.acts_as_agency:
        org.kind = OrgKind.agency
        evidence = conduct.evidence(conduct.claims, conduct.employers, conduct.fees)
        check = _verdict(
            org, conduct.names, registries[RegistryKind.hr_agency], evidence, today, _AGENCY_CODES
        )
    else:
        org.kind = OrgKind.employer if conduct.job_listings else OrgKind.unknown
        check = _Check(
            LicenceStatus.not_required if conduct.job_listings else LicenceStatus.unknown, None, None
        )
    flags += [check.flag] if check.flag else []
    if conduct.fees:
        detail = "listings ask job seekers for deposits, fees or loans (劳动合同法 第九条)"
        flags.append(
            _flag("job_seeker_fees", detail, conduct.evidence(conduct.fees) | {"registry_record": None})
        )
    org.licence_status = check.status.value
    org.flags = flags
    ids = [check.record.id] if check.record and check.record.id else []
    org.identifiers = {**(org.identifiers or {}), "registry_record_ids": ids}
    org.updated_at = utcnow()


def check_licences(session: Session, *, today: date | None = None) -> LicenceReport:
    """Set kind, licence_status and flags of every active organisation with listings (caller commits)."""
    today = today or beijing_today()  # a licence runs to the end of its last Beijing day
    registries = {kind: _load_registry(session, kind) for kind in RegistryKind}
    conducts = _conduct(session)
    report = LicenceReport()
    statement = (
        select(Organisation).where(col(Organisation.merged_into_id).is_(None)).order_by(col(Organisation.id))
    )
    for org in session.execute(statement).scalars():
        _check_org(org, conducts.get(org.id or 0, Conduct()), registries, today)
        report.organisations += 1
        report.by_kind[org.kind] += 1
        report.by_status[org.licence_status] += 1
        report.flagged += 1 if org.flags else 0
    session.flush()
    return report
