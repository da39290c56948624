"""Write N synthetic outcome-harvesting fragments as a CSV export, for benchmarks.

    python bench/make_fragments.py N OUT.csv [--seed S] [--confidential-share 0.25]
                                             [--framework-yml PATH]

Deterministic for a given N, seed and share. The columns (and their odd spellings,
"coutnry", trailing spaces) are those of the real exports. Values vary: ~25
countries, 4 objectives, 12 outcomes with ~40 outputs, years 2019-2025, harvests
1-5, English and French sentences (with accents) built from several templates.
Needs only the standard library.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from generator.normalise.vocabulary import CHANGE_TYPES as VOCABULARY_CHANGE_TYPES

COLUMNS = [
    "FragmentID",
    "Outcome status",
    "OH-harvesting period",
    "coutnry",
    "Year",
    "Outcome description",
    "Significance of the outcome",
    "Additional information (use if needed) ",
    "Rating significance",
    "Social actor",
    "Scale",
    "Contribution of the programme",
    "Contribution of other actors and factors",
    "Rating contribution",
    "The change was unintended",
    "Evidence supporting the outcome statement",
    "Outcome statements is CONFIDENTIAL",
    "Link to Outcomes in Results Framework ",
    "Link to SCC Specific Objectives",
    "Outcome is negative",
    "MCQType of change",
    "TypeOfChangeCluster",
]

# country, region code (used in IDs), French-speaking?
COUNTRIES = [
    ("Senegal", "WAF", True),
    ("Togo", "WAF", True),
    ("Burkina Faso", "WAF", True),
    ("Mali", "WAF", True),
    ("Niger", "WAF", True),
    ("Côte d'Ivoire", "WAF", True),
    ("Guinea", "WAF", True),
    ("Congo Brazzaville", "CAF", True),
    ("DR Congo", "CAF", True),
    ("Cameroon", "CAF", True),
    ("Central African Republic", "CAF", True),
    ("Chad", "CAF", True),
    ("Burundi", "EHA", True),
    ("Kenya", "EHA", False),
    ("Uganda", "EHA", False),
    ("South Sudan", "EHA", False),
    ("Ethiopia", "EHA", False),
    ("Somalia", "EHA", False),
    ("Sudan", "EHA", False),
    ("Yemen", "MEN", False),
    ("Palestine", "MEN", False),
    ("Lebanon", "MEN", True),
    ("Iraq", "MEN", False),
    ("Syria", "MEN", False),
    ("Sahel", "WAF", True),
    ("Global", "GLO", False),
]

OBJECTIVES = [
    ("CIV", "CIV: Less suppression of civic space"),
    ("GEN", "GEN: More equal gender roles and norms"),
    ("PEA", "PEA: More effective efforts to transform conflict and pursue peace and human rights"),
    ("EXT", "EXT: Mitigated external stress factors"),
]

# 12 outcomes (1.1-1.3, 2.1-2.3, 3.1-3.3, 4.1-4.3), 3-4 outputs each: 42 outputs.
OUTCOMES = [f"{a}.{b}" for a in range(1, 5) for b in range(1, 4)]
OUTPUTS = {oc: [f"{oc}.{k}" for k in range(1, 4 + (i % 2))] for i, oc in enumerate(OUTCOMES)}

CHANGE_TYPES = list(VOCABULARY_CHANGE_TYPES)  # the programme's list, as the generator knows it
STATUSES = ["Outcome", "Outcome lead", "Substantiated outcome"]
SOCIAL_ACTORS = [
    "Traditional leaders",
    "Media actors",
    "Government and duty bearers",
    "International bodies",
    "Community members",
    "Private sector actors",
    "Civic change agents",
]
SCALES = ["International", "National", "Regional", "Organisation", "Individual", "Local"]
PARTNERS = [
    "PAX",
    "ABAAD",
    "DefendDefenders",
    "Amnesty International Netherlands",
    "Free Press Unlimited",
    "the programme",
    "Search for Common Ground",
    "CordAid",
    "Réseau Ouest-Africain des Défenseurs",
]
PLACES = [
    "Kote",
    "Balo",
    "Dokafa",
    "Seko",
    "Nonodo",
    "Gurulo",
    "Bazi",
    "Lolima",
    "Ligu",
    "Tegu",
    "Moundou",
    "Kabala",
    "Ségou",
    "Bouaké",
    "Gitega",
    "Juba",
    "Aden",
    "Naplouse",
    "Kindu",
    "Zinder",
]

EN_ACTORS = [
    "women-led groups",
    "journalists",
    "local authorities",
    "the {acr} network",
    "the national coalition {acr}",
    "youth associations",
    "religious leaders",
    "police commanders",
    "human rights defenders",
    "members of parliament",
]
FR_ACTORS = [
    "des journalistes",
    "les autorités",
    "des associations de femmes",
    "les membres du réseau {acr}",
    "les membres de la coalition nationale {acr}",
    "des défenseurs des droits humains",
    "des chefs coutumiers",
    "des associations de jeunes",
]
EN_CHANGES = [
    "improved the protection of human rights defenders in distress",
    "established a shelter and relocation fund for defenders at risk",
    "included civil society representatives in the budget review committee",
    "created an early-warning system for threats against journalists",
    "adopted a written security protocol for their staff",
    "changed their practice and now consult women's groups before decisions",
    "documented and reported violations to the national human rights commission",
    "publicly condemned attacks against women journalists",
    "agreed on a local peace agreement between farmers and herders",
    "revised the by-law on public gatherings after consultation with civil society",
    "opened a dialogue with security forces on the safety of activists",
    "allocated part of the municipal budget to survivors of gender-based violence",
]
FR_CHANGES = [
    "ont créé un réseau d'alerte précoce contre les menaces",
    "associent les organisations de la société civile au suivi budgétaire",
    "ont adopté un protocole de sécurité pour les défenseurs",
    "ont renforcé la sécurité des journalistes lors des élections",
    "ont ouvert un dialogue avec les forces de défense et de sécurité",
    "ont médiatisé des cas de violences basées sur le genre",
    "ont signé une charte de coexistence pacifique entre communautés",
    "ont modifié l'arrêté sur les manifestations après concertation",
]
EN_DESC = [
    "Since {year}, {actor} in {place} in {country} have {change}.",
    "In {year}, {actor} in {place} ({country}) {change_past}.",
    "Between {year} and {year2}, {actor} in {country} {change_past}, for the first time in {place}.",
    "{Actor} in {place}, {country}, have {change} since {year}.",
]
FR_DESC = [
    "En {year}, {actor} de {place} {change}.",
    "Depuis {year}, {actor} de {place} ({country}) {change}.",
    "Entre {year} et {year2}, {actor} au {country} {change}, une première à {place}.",
]
EN_SIGNIFICANCE = [
    "Until {year}, authorities refused to meet civil society on this subject.",
    "Before {year}, such cases were rarely handled and responses were slow and informal.",
    "This is the first time that the actors involved have worked together on protection.",
    "The change reduces the risk faced by defenders and shows a shift in attitude.",
    "It sets a precedent that other districts in {country} are already discussing.",
    "Women in {place} can now report threats without fear of reprisals.",
]
FR_SIGNIFICANCE = [
    "Avant {year}, les cas de protection étaient peu nombreux et leur gestion était peu sécurisée.",
    "C'est la première fois que ces acteurs collaborent sur la question de la sécurité.",
    "Ce changement réduit les risques pour les défenseurs et montre une évolution des mentalités.",
    "Les femmes de {place} peuvent désormais signaler les menaces sans crainte de représailles.",
]
EN_CONTRIBUTION = [
    "{partner} trained {n} members of {acr} in digital and physical security.",
    "{partner} supported the drafting of the protocol and coached the focal points.",
    "{partner} facilitated {n} meetings between {acr} and the local authorities.",
    "{partner} funded the legal aid that {acr} gave to {n} defenders.",
]
FR_CONTRIBUTION = [
    "{partner} a formé {n} membres de {acr} à la gestion des demandes de protection.",
    "{partner} a accompagné la rédaction du protocole de sécurité et formé les points focaux.",
    "{partner} a facilité {n} rencontres entre {acr} et les autorités locales.",
]
OTHER_ACTORS = [
    "",
    "",
    "No",
    "Other donors funded parallel trainings.",
    "The EU delegation also raised the issue with the minister.",
    "L'ambassade a également soutenu la démarche auprès du ministère.",
]
ADDITIONAL = [
    "",
    "",
    "",
    "Follow-up planned in the next harvest.",
    "The network also dealt with cases from {country} and {country2}.",
    "Suivi prévu lors de la prochaine récolte.",
]
EVIDENCE = [
    "Court records",
    "Meeting minutes and attendance lists",
    "Signed memorandum of understanding",
    "Reports and photos",
    "Procès-verbal de réunion",
    "Articles de presse",
    "Interview with {acr} coordinator",
]
PAST = {  # English "have X" → simple past, for the templates that need it
    "improved": "improved",
    "established": "established",
    "included": "included",
    "created": "created",
    "adopted": "adopted",
    "changed": "changed",
    "documented": "documented",
    "publicly": "publicly",
    "agreed": "agreed",
    "revised": "revised",
    "opened": "opened",
    "allocated": "allocated",
}


def _acronym(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNOPRSTVW") for _ in range(rng.randint(3, 5)))


def _results_framework(rng: random.Random, outcome: str) -> str:
    outputs = rng.sample(OUTPUTS[outcome], k=rng.choice([1, 1, 1, 2]))
    style = rng.random()
    if style < 0.6:
        gap = " " * rng.randint(3, 30)
        return f"Outcome {outcome}{gap}" + gap.join(f"Output {o}" for o in outputs)
    if style < 0.8:
        return f"Outcome {outcome}; " + "; ".join(f"Output {o}" for o in outputs)
    if style < 0.95:
        return f"Outcome {outcome}\n" + "\n".join(f"Output {o}" for o in outputs)
    return ""


def make_rows(n: int, seed: int = 1, confidential_share: float = 0.25) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        country, region, francophone = rng.choice(COUNTRIES)
        country2 = rng.choice(COUNTRIES)[0]
        code, objective = rng.choice(OBJECTIVES)
        year = rng.randint(2019, 2025)
        year2 = min(year + rng.randint(1, 2), 2025) if year < 2025 else None
        french = francophone and rng.random() < 0.6
        acr = _acronym(rng)
        place = rng.choice(PLACES)
        fields = {
            "year": year,
            "year2": year2,
            "country": country,
            "country2": country2,
            "place": place,
            "acr": acr,
            "n": rng.randint(5, 60),
            "partner": rng.choice(PARTNERS),
        }
        if french:
            actor = rng.choice(FR_ACTORS).format(**fields)
            change = rng.choice(FR_CHANGES)
            description = rng.choice(FR_DESC if year2 else FR_DESC[:2]).format(actor=actor, change=change, **fields)
            significance = rng.choice(FR_SIGNIFICANCE).format(**fields)
            contribution = rng.choice(FR_CONTRIBUTION).format(**fields)
        else:
            actor = rng.choice(EN_ACTORS).format(**fields)
            change = rng.choice(EN_CHANGES)
            first, _, rest = change.partition(" ")
            change_past = f"{PAST[first]} {rest}"
            description = rng.choice(EN_DESC if year2 else EN_DESC[::3]).format(
                actor=actor, Actor=actor[0].upper() + actor[1:], change=change, change_past=change_past, **fields
            )
            significance = rng.choice(EN_SIGNIFICANCE).format(**fields)
            contribution = rng.choice(EN_CONTRIBUTION).format(**fields)
        # Some fragments are longer: a second sentence in the description.
        if rng.random() < 0.3:
            description += " " + rng.choice(EN_SIGNIFICANCE if not french else FR_SIGNIFICANCE).format(**fields)
        types = rng.sample(CHANGE_TYPES, k=rng.choice([1, 1, 2, 2, 3]))
        outcome = rng.choice(OUTCOMES)
        ident = f"SCC-{region}{year % 100:02d}{rng.randint(1, 12):02d}/{code}{i:05d}"
        if rng.random() < 0.05:
            ident += f"-S{rng.randint(1, 99)}"
        rows.append(
            {
                "FragmentID": ident,
                "Outcome status": rng.choice(STATUSES),
                "OH-harvesting period": f"harvest {rng.randint(1, 5)}",
                "coutnry": country,
                "Year": str(year) if rng.random() < 0.8 else f"{year}.0",
                "Outcome description": description,
                "Significance of the outcome": significance,
                "Additional information (use if needed) ": rng.choice(ADDITIONAL).format(**fields),
                "Rating significance": rng.choice(["small", "medium", "large"]),
                "Social actor": rng.choice(SOCIAL_ACTORS),
                "Scale": rng.choice(SCALES),
                "Contribution of the programme": contribution,
                "Contribution of other actors and factors": rng.choice(OTHER_ACTORS),
                "Rating contribution": rng.choice(["low", "medium", "high", "high"]),
                "The change was unintended": rng.choice(["NO", "NO", "NO", "YES"]),
                "Evidence supporting the outcome statement": rng.choice(EVIDENCE).format(**fields),
                "Outcome statements is CONFIDENTIAL": "1" if rng.random() < confidential_share else "0",
                "Link to Outcomes in Results Framework ": _results_framework(rng, outcome),
                "Link to SCC Specific Objectives": objective,
                "Outcome is negative": "YES" if rng.random() < 0.08 else "NO",
                "MCQType of change": "  ".join(types),
                "TypeOfChangeCluster": types[0],
            }
        )
    return rows


def framework_yml() -> str:
    """Labels for the outcomes and outputs that make_rows uses (results-framework.yml)."""
    lines = ["outcomes:"]
    lines += [f'  "{oc}": Outcome area {oc}' for oc in OUTCOMES]
    lines.append("outputs:")
    lines += [f'  "{o}": Output {o} of the programme' for oc in OUTCOMES for o in OUTPUTS[oc]]
    return "\n".join(lines) + "\n"


def write_csv(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of fragments")
    parser.add_argument("out", type=Path, help="the CSV file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--confidential-share", type=float, default=0.25)
    parser.add_argument("--framework-yml", type=Path, help="also write results-framework.yml labels here")
    args = parser.parse_args(argv)
    rows = make_rows(args.n, args.seed, args.confidential_share)
    write_csv(rows, args.out)
    if args.framework_yml:
        args.framework_yml.write_text(framework_yml(), encoding="utf-8")
    public = sum(r["Outcome statements is CONFIDENTIAL"] == "0" for r in rows)
    print(f"{args.out}: {len(rows)} fragments, {public} public", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
