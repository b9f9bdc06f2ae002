"""Companies and contacts looked up by id."""

from __future__ import annotations

from typing import Any

from cw_facade._operations._common import get_by_id
from cw_facade._request import Operation
from cw_facade._validation import check_id
from cw_facade.models import Company, Contact

COMPANIES_PATH = "company/companies"
CONTACTS_PATH = "company/contacts"


def company_sites_path(company_id: Any) -> str:
    """``company/companies/{id}/sites`` after checking the id."""
    return f"{COMPANIES_PATH}/{check_id('company_id', company_id)}/sites"


def company_contacts_conditions(company_id: Any) -> str:
    """The conditions selecting the contacts of company ``company_id``."""
    return f"company/id={check_id('company_id', company_id)}"


def get_company(company_id: Any) -> Operation[Company | None]:
    """The company, or ``None`` when it does not exist."""
    return (yield from get_by_id(Company, COMPANIES_PATH, "company_id", company_id))


def get_contact(contact_id: Any) -> Operation[Contact | None]:
    """The contact, or ``None`` when it does not exist."""
    return (yield from get_by_id(Contact, CONTACTS_PATH, "contact_id", contact_id))
