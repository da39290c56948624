"""Personal details flagged before publishing (issue 20, point 8): `check` and the job
summary list, by place and never by value, the published fields that hold what looks like
an e-mail address, a phone number or a street address; held-back outcomes are never
scanned nor named, and a value masked by redact.txt no longer flags."""

from pathlib import Path

import pytest

from generator.model import Term
from generator.normalise.personal_details import ADDRESS, EMAIL, PHONE, found_in, phone_regions
from support import run_cli_in_process, write_fragment

HEADER = "FragmentID,Outcome description,Significance,Contribution,Country,Year,Confidential"
ROWS = [
    "PD-1,The council adopted a plan.,Write to awa.traore@example.org for the minutes.,Training.,Mali,2023,no",
    "PD-2,The mayor opened a clinic.,A clinic.,Call the mayor's office on +226 25 30 60 00.,Niger,2023,no",
    "PD-3,A radio show began.,Listeners call 70 12 34 56 every week.,Radio.,Burkina Faso,2023,no",
    "PD-4,A women's group met.,Meetings.,The group meets at 12 rue de la Paix in Ouagadougou.,Burkina Faso,2023,no",
    # Numbers that are not personal details: years, IDs, amounts, output codes, dates.
    'PD-5,"Since 2019 2,500 people joined.","In 2020-2021, 1 250 000 FCFA (ID CSP-BF-001).",'
    '"Output 1.4.2 and 3.1.2 (12/03/2021), 45 districts, 2500 people.",Burkina Faso,2021,no',
    # Held back: never scanned, never named.
    "PD-6,Secret.,Call +226 70 12 34 56 or write to secret@example.org.,12 rue Secrète.,Burkina Faso,2023,yes",
    # Masked by redact.txt: no longer flagged.
    "PD-7,A plan.,Ask moussa.kone@example.org.,Training.,Mali,2023,no",
]
NOT_PUBLISHED = ["awa.traore", "25 30 60 00", "70 12 34 56", "rue de la Paix", "secret@example.org", "Secrète"]
ADVICE = "check it and add it to content/redact.txt if it should not be published."


def _content(folder: Path) -> Path:
    (folder / "fragments").mkdir(parents=True)
    (folder / "fragments" / "export.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    (folder / "redact.txt").write_text("moussa.kone@example.org\n", encoding="utf-8")
    # The export's own column name, which the report names (as the editor knows it).
    (folder / "fields.yml").write_text("Contribution of the programme: [Contribution]\n", encoding="utf-8")
    return folder


def expected_lines(export: Path) -> list[str]:
    return [
        f"{export}, row 2, Significance: holds what looks like an e-mail address; {ADVICE}",
        f"{export}, row 3, Contribution: holds what looks like a phone number; {ADVICE}",
        f"{export}, row 4, Significance: holds what looks like a phone number; {ADVICE}",
        f"{export}, row 5, Contribution: holds what looks like a street address; {ADVICE}",
    ]


def test_check_lists_fields_that_look_like_personal_details_by_place_only(tmp_path):
    content = _content(tmp_path / "content")
    export = content / "fragments" / "export.csv"
    result = run_cli_in_process("check", "--content", str(content))
    assert result.returncode == 0, result.stderr
    section = result.stdout.split("Published text that may hold personal details (review before publishing): ")[1]
    assert section.split("\n")[: 1 + 4] == ["4", *(f"  {line}" for line in expected_lines(export))]
    assert f"{export}, row 7" in result.stdout.split("flagged confidential")[1].split("\n")[1]  # held back, by place
    assert result.stdout.count("row 7") == 1 and "row 6" not in result.stdout and "row 8" not in result.stdout
    for value in NOT_PUBLISHED + ["moussa", "example.org", "+226"]:
        assert value not in result.stdout + result.stderr


def test_the_job_summary_shows_the_same_lines(tmp_path):
    content = _content(tmp_path / "content")
    summary = tmp_path / "summary.md"
    result = run_cli_in_process("check", "--content", str(content), "--summary", str(summary), "--quiet")
    assert result.returncode == 0, result.stderr
    lines = "\n".join(expected_lines(content / "fragments" / "export.csv"))
    assert (
        f"\n### Published text that may hold personal details (review before publishing): 4\n\n```text\n{lines}\n```\n"
    ) in summary.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "regions", "kinds"),
    [
        ("Write to awa.traore@example.org.", (), (EMAIL,)),
        ("Call +226 70 12 34 56.", (), (PHONE,)),
        ("Call +226 70 12 34 56.", ("KE",), (PHONE,)),  # international: any outcome's country
        ("Call 70 12 34 56.", ("BF",), (PHONE,)),  # local, in a Burkina Faso outcome
        ("Appeler le 25 30 60 00.", ("BF",), (PHONE,)),
        ("Call 0712 345 678.", ("KE",), (PHONE,)),
        ("12 rue de la Paix, Ouagadougou", (), (ADDRESS,)),
        ("au 3 bis, avenue Kwame Nkrumah", (), (ADDRESS,)),
        ("Avenue Kwame Nkrumah", (), (ADDRESS,)),
        ("Boulevard de l'Indépendance", (), (ADDRESS,)),
        ("45 Kenyatta Avenue, Nairobi", (), (ADDRESS,)),
        ("12 Main Street", (), (ADDRESS,)),
        ("B.P. 123 Niamey", (), (ADDRESS,)),
        ("P.O. Box 56", (), (ADDRESS,)),
        ("a@b.org, +226 70 12 34 56, B.P. 12", ("BF",), (EMAIL, PHONE, ADDRESS)),
    ],
)
def test_what_looks_like_a_personal_detail(text, regions, kinds):
    assert found_in(text, regions) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "In 2019, 2,500 people joined; in 2020-2021 2500 more.",
        "Years 2018 2019 2020 2021 2022",
        "Output 1.4.2 and outcome 3.1.2; objective 1.1",
        "ID CSP-BF-001, DEMO-EHA2201/PEA003",
        "A budget of 1 250 000 FCFA and 12,345,678 KES",
        "On 12/03/2021 and 2021-03-12",
        "45 districts, 12 roads and 3 avenues of dialogue",
        "the council's avenue for dialogue; a road map; 12 street children",
    ],
)
def test_numbers_and_words_that_are_not_personal_details(text):
    assert found_in(text) == ()
    assert found_in(text, ("BF",)) == ()


def test_a_local_number_is_read_in_the_outcomes_country_only():
    """Without a country ("Sahel"), only the international form is a phone number."""
    assert found_in("Call 70 12 34 56.") == ()
    assert found_in("Call 70 12 34 56.", ("BF",)) == (PHONE,)
    assert found_in("Call 70 12 34 56.", ("KE", "BF")) == (PHONE,)


def test_the_outcomes_country_in_any_spelling_gives_its_numbering_plan():
    assert phone_regions("Burkina Faso") == phone_regions("burkina-faso") == ("BF",)
    assert phone_regions("Côte d'Ivoire") == phone_regions("Ivory Coast") == ("CI",)
    assert phone_regions(Term("bf", (("en", "Burkina Faso"), ("fr", "Burkina Faso")))) == ("BF",)
    assert phone_regions((Term("cm", (("en", "Cameroon"), ("fr", "Cameroun"))), "Tchad")) == ("CM", "TD")
    assert phone_regions("Sahel") == phone_regions(None) == ()


def test_a_text_fragment_is_named_by_its_line(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    path = write_fragment(content, "radio", Contribution_of_the_programme="Reach us at radio@example.org.")
    result = run_cli_in_process("check", "--content", str(content))
    assert result.returncode == 0, result.stderr
    assert (
        f"  {path}, line 6, Contribution of the programme: holds what looks like an e-mail address; {ADVICE}\n"
    ) in result.stdout
    assert "radio@" not in result.stdout
