"""Demo data of the contacts plugin: a small fictional market in three countries (§1.4)."""

from __future__ import annotations

from typing import Any

REFERENCE = {
    "salespeople": [("JO", "John Roberts"), ("PS", "Peter Saddow"), ("MH", "Marty Horst")],
    "teams": [("SALES", "Field sales")],
    "territories": [("NORTH", "North"), ("SOUTH", "South"), ("EXPORT", "Export")],
    "countries": [("GB", "United Kingdom"), ("DE", "Germany"), ("NO", "Norway")],
    "salutations": [
        ("COMPANY", "Company"),
        ("M", "Male, married or single"),
        ("F", "Female, married or single"),
        ("U", "Unisex"),
    ],
    "business-relations": [
        ("CUST", "Customer"),
        ("VEND", "Vendor"),
        ("BANK", "Bank"),
        ("EMP", "Employee"),
        ("PROSPECT", "Prospect"),
        ("LAWYER", "Lawyer"),
    ],
    "industry-groups": [("RETAIL", "Retail"), ("MANUF", "Manufacturing"), ("SERV", "Services")],
    "mailing-groups": [("NEWS", "Newsletter"), ("XMAS", "Christmas cards")],
    "job-responsibilities": [
        ("PURCHASE", "Purchasing"),
        ("SALES", "Sales"),
        ("IT", "IT"),
        ("MGMT", "Management"),
    ],
    "organizational-levels": [("CEO", "Chief executive"), ("MGR", "Manager"), ("STAFF", "Staff")],
    "web-sources": [("SEARCH", "Web search")],
}
LANGUAGES = [("ENG", "English", "en-GB"), ("DEU", "German", "de-DE"), ("NOR", "Norwegian", "nb-NO")]
FORMULAS = [  # salutation, language, type, text, name parts
    ("COMPANY", "ENG", "formal", "Dear Sirs", ()),
    ("COMPANY", "ENG", "informal", "Hello", ()),
    ("COMPANY", "DEU", "formal", "Sehr geehrte Damen und Herren", ()),
    ("COMPANY", "NOR", "formal", "Kjære alle", ()),
    ("M", "ENG", "formal", "Dear Mr. %1", ("surname",)),
    ("F", "ENG", "formal", "Dear Ms. %1", ("surname",)),
    ("U", "ENG", "formal", "Dear %1 %2", ("first_name", "surname")),
    ("U", "ENG", "informal", "Hi %1", ("first_name",)),
    ("M", "DEU", "formal", "Sehr geehrter Herr %1", ("surname",)),
    ("F", "DEU", "formal", "Sehr geehrte Frau %1", ("surname",)),
    ("U", "DEU", "formal", "Guten Tag %1 %2", ("first_name", "surname")),
    ("U", "NOR", "formal", "Kjære %1 %2", ("first_name", "surname")),
    ("U", "NOR", "informal", "Hei %1", ("first_name",)),
]
SETUP = {
    "contacts.bus_rel_code_for_customers": "CUST",
    "contacts.bus_rel_code_for_vendors": "VEND",
    "contacts.bus_rel_code_for_bank_accs": "BANK",
    "contacts.bus_rel_code_for_employees": "EMP",
    "contacts.default_language_code": "ENG",
    "contacts.default_country_region_code": "GB",
    "contacts.default_correspondence_type": "email",
    "contacts.def_company_salutation_code": "COMPANY",
    "contacts.default_person_salutation_code": "U",
}
COMPANIES = [  # name, country, language, city, address, phone, salesperson, territory, industry
    (
        "Harbour Lights Ltd",
        "GB",
        "ENG",
        "Bristol",
        "12 Quay St",
        "+44 117 555 0100",
        "JO",
        "SOUTH",
        "RETAIL",
    ),
    (
        "Moorland Tools plc",
        "GB",
        "ENG",
        "Leeds",
        "3 Mill Lane",
        "+44 113 555 0200",
        "PS",
        "NORTH",
        "MANUF",
    ),
    (
        "Rheinwerk Maschinen GmbH",
        "DE",
        "DEU",
        "Köln",
        "Hafenstr. 8",
        "+49 221 555 300",
        "MH",
        "EXPORT",
        "MANUF",
    ),
    (
        "Alpenblick Reisen AG",
        "DE",
        "DEU",
        "München",
        "Bergweg 2",
        "+49 89 555 400",
        "MH",
        "EXPORT",
        "SERV",
    ),
    (
        "Fjordkraft Design AS",
        "NO",
        "NOR",
        "Bergen",
        "Bryggen 5",
        "+47 55 555 500",
        "JO",
        "EXPORT",
        "SERV",
    ),
]
PERSONS = [  # company index, name, salutation, job title, job responsibility, email
    (0, "Ann Marlowe", "F", "Buyer", "PURCHASE", "ann@harbourlights.example"),
    (0, "Tom Kettle", "M", "Owner", "MGMT", "tom@harbourlights.example"),
    (1, "Grace Alder", "F", "Purchasing manager", "PURCHASE", "grace@moorland.example"),
    (1, "Ravi Patel", "U", "IT lead", "IT", "ravi@moorland.example"),
    (1, "Owen Price", "M", "Sales", "SALES", "owen@moorland.example"),
    (2, "Klaus Becker", "M", "Einkauf", "PURCHASE", "k.becker@rheinwerk.example"),
    (2, "Anja Vogel", "F", "Geschäftsführerin", "MGMT", "a.vogel@rheinwerk.example"),
    (3, "Lena Maria Huber", "F", "Reiseleitung", "SALES", "lena@alpenblick.example"),
    (3, "Jonas Weber", "M", "IT", "IT", "jonas@alpenblick.example"),
    (4, "Ingrid Solberg", "F", "Daglig leder", "MGMT", "ingrid@fjordkraft.example"),
    (4, "Erik Nilsen", "M", "Innkjøp", "PURCHASE", "erik@fjordkraft.example"),
]


def load_demo_data(app: Any, session: Any) -> None:
    """Reference data, setup and a handful of companies with their persons."""
    from relcore_contacts import memberships, reference, relations
    from relcore_contacts.contacts import insert_contacts

    for kind, rows in REFERENCE.items():
        for code, text in rows:
            reference.add(session, kind, code, text)
    for code, name, region in LANGUAGES:
        reference.add(session, "languages", code, name, {"format_region": region})
    for code in ("JO", "PS"):
        reference.add_team_member(session, "SALES", code)
    for sal, lang, kind, text, parts in FORMULAS:
        reference.set_salutation_formula(session, sal, kind, text, list(parts), lang)
    for key, value in SETUP.items():
        app.setup.set(session, key, value)
    companies = insert_contacts(
        session,
        [
            {
                "name": n,
                "country_region_code": cc,
                "language_code": lang,
                "city": city,
                "address": addr,
                "phone_no": phone,
                "salesperson_code": sp,
                "territory_code": terr,
                "email": f"info@{n.split()[0].lower()}.example",
            }
            for n, cc, lang, city, addr, phone, sp, terr, _ in COMPANIES
        ],
    )
    persons = insert_contacts(
        session,
        [
            {
                "type": "person",
                "name": name,
                "company_no": companies[i]["no"],
                "salutation_code": sal,
                "job_title": title,
                "email": email,
            }
            for i, name, sal, title, _, email in PERSONS
        ],
    )
    for company, spec in zip(companies, COMPANIES, strict=True):
        memberships.assign(session, company["no"], "industry_group", spec[-1])
        memberships.assign(session, company["no"], "mailing_group", "NEWS")
    for person, spec in zip(persons, PERSONS, strict=True):
        memberships.assign(session, person["no"], "job_responsibility", spec[4])
    relations.link(session, companies[0]["no"], "customer", "C00010")
    relations.link(session, companies[2]["no"], "customer", "C00020")
    relations.link(session, companies[1]["no"], "vendor", "V00010")
    relations.assign_business_relation(session, companies[3]["no"], "PROSPECT")
    relations.assign_business_relation(session, companies[4]["no"], "PROSPECT")


def demo_tour(app: Any, session: Any) -> list[str]:
    """A few lines showing what the demo contacts look like."""
    import sqlalchemy as sa

    from relcore_contacts import model
    from relcore_contacts.salutations import salutation_text

    c = model.contact
    counts = dict(session.execute(sa.select(c.c.type, sa.func.count()).group_by(c.c.type)).all())
    lines = [
        f"{counts.get('company', 0)} companies and {counts.get('person', 0)} persons in "
        f"{len(REFERENCE['countries'])} countries"
    ]
    person = session.execute(
        sa.select(c)
        .where(c.c.type == "person", c.c.language_code == "DEU")
        .order_by(c.c.no)
        .limit(1)
    ).first()
    if person is not None:
        lines.append(
            f"{person.no} {person.name} ({person.company_name}) inherits language "
            f"{person.language_code} and salesperson {person.salesperson_code}; "
            f'salutation: "{salutation_text(session, person.no, "formal")}"'
        )
    linked = session.execute(
        sa.select(c.c.no, c.c.name, c.c.contact_business_relation)
        .where(c.c.type == "company")
        .order_by(c.c.no)
    ).all()
    lines.append(
        "business relations: "
        + ", ".join(f"{r.name} = {r.contact_business_relation}" for r in linked[:3])
    )
    lines.append(
        "try: relcore contacts list; relcore contacts show CT000001; "
        "relcore contacts salutation CT000008 --formal"
    )
    return lines
