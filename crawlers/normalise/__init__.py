"""Pure normalisation of listing fields: salary, age, location and contacts (organisation identifiers: organisations.identifiers)."""

from crawlers.normalise.age import AgeRange, find_age_requirement, parse_age
from crawlers.normalise.contacts import Contacts, extract_contacts, find_phones, find_qq_ids, find_wechat_ids
from crawlers.normalise.location import Location, find_locations, parse_location
from crawlers.normalise.salary import Salary, parse_salary

__all__ = [
    "AgeRange",
    "Contacts",
    "Location",
    "Salary",
    "extract_contacts",
    "find_age_requirement",
    "find_locations",
    "find_phones",
    "find_qq_ids",
    "find_wechat_ids",
    "parse_age",
    "parse_location",
    "parse_salary",
]
