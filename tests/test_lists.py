"""Tables, enumerations and lists: grid/pipe tables, battle lists read by their columns."""

from __future__ import annotations

from conflictlens.extract.tables import battle_rows, find_tables
from conflictlens.pipeline import extract_document
from conftest import parsed

GRID = """Intro text about the war.

Peruvian–Chilean engagements

+-------------------+------+-----------------+------------------+----------------+
| Battle            | Year | Commander       | Commander        | Result         |
+===================+======+=================+==================+================+
| Battle of Pisagua | 1879 | Juan Buendia    | Erasmo Escala    | Chilean victory |
+-------------------+------+-----------------+------------------+----------------+
| Siege of Arica    | 1880 | Francisco       | Manuel Baquedano | Chilean victory |
|                   |      | Bolognesi       |                  |                |
+-------------------+------+-----------------+------------------+----------------+

After the war Peru and Chile signed a treaty.
"""

PIPE = """| Engagement | Date | Iraqi commander | Iranian commander | Outcome |
|---|---|---|---|---|
| Battle of Khorramshahr | 22 September 1980 | Ali Hassan | Reza Karimi | Iraqi victory |
"""


def test_grid_table_cells_keep_exact_spans_and_multiline_cells():
    tables = find_tables(GRID)
    assert len(tables) == 1
    t = tables[0]
    assert t.header[:2] == ["Battle", "Year"]
    assert len(t.rows) == 2
    cell = t.rows[1].cells[2]
    assert cell.text == "Francisco Bolognesi"
    assert [GRID[s:e] for s, e in cell.parts] == ["Francisco", "Bolognesi"]
    assert GRID[t.caption[0]:t.caption[1]] == "Peruvian–Chilean engagements"


def test_a_wiki_template_with_bars_is_not_a_table():
    text = "| combatant1 = Foo\n| commander1 = Bar Baz\n\nProse follows."
    assert find_tables(text) == []


def test_battle_rows_take_sides_from_caption_or_column_headers():
    rows = battle_rows(GRID)
    assert [r.name.text for r in rows] == ["Battle of Pisagua", "Siege of Arica"]
    assert [s[0] for s in rows[0].sides] == ["Peruvian", "Chilean"]
    assert [n for n, _, _ in rows[0].commanders[1]] == ["Erasmo Escala"]
    assert rows[0].place == "Pisagua"
    pipe = battle_rows(PIPE)
    assert len(pipe) == 1 and [s[0] for s in pipe[0].sides] == ["Iraqi", "Iranian"]


def test_a_table_without_commanders_is_not_a_battle_list():
    text = "+------+------+\n| Date | Rain |\n+======+======+\n| 1    | 0.0  |\n+------+------+\n"
    assert find_tables(text) and battle_rows(text) == ()


def test_battle_list_rows_become_events_and_relations():
    doc, sdoc = parsed(GRID)
    facts = extract_document(doc, sdoc)
    names = {a.key: a.name for a in facts.actors}
    by_name = {v: k for k, v in names.items()}
    assert names[by_name["Erasmo Escala"]] and next(
        a for a in facts.actors if a.name == "Erasmo Escala").type == "person"
    battles = [e for e in facts.events if e.evidence[0].quote.startswith("| Battle of Pisagua")]
    assert len(battles) == 1
    ev = battles[0]
    assert ev.type == "BATTLE" and ev.time is not None and ev.time.value == "1879"
    assert {names[k] for k in ev.agents} >= {"Juan Buendia", "Peru"}
    assert {names[k] for k in ev.targets} >= {"Erasmo Escala", "Chile"}
    rels = {(names[r.source], r.relation, names[r.target]) for r in facts.relations}
    assert ("Juan Buendia", "fights", "Erasmo Escala") in rels
    assert ("Erasmo Escala", "member_of", "Chile") in rels
    # A name wrapped over two lines of its cell has no one span: no half-name actor.
    assert not {"Francisco", "Bolognesi"} & set(names.values())
    for r in facts.relations:
        e = r.evidence[0]
        assert doc.text[e.start:e.end] == e.quote


# ---------------------------------------------------------------------------- enumerations

from conflictlens.extract.enumerations import find_enumerations  # noqa: E402

ENUM = ("The mission began in March. By June, KFOR's  multinational brigade  grew from 300 to 2,150 "
        "troops from the following countries: Austria (410), the Czech\n- Republic (3), Ghana (620), "
        "New  Zealand (17) and the United States of America (1,100). Patrols began in July.")


def test_a_run_of_states_with_numbers_is_an_enumeration():
    enums = find_enumerations(ENUM)
    assert len(enums) == 1
    en = enums[0]
    assert [i.name for i in en.items][:2] == ["Austria", "Czech\n- Republic"]
    assert [i.value for i in en.items] == [410, 3, 620, 17, 1100]
    assert en.receiver is not None and en.receiver[0] == "KFOR's multinational brigade"
    assert en.noun == "troops" and en.kind == "force_size"
    for i in en.items:
        assert ENUM[i.start:i.end] == i.name


def test_numbers_in_brackets_that_are_not_states_are_no_enumeration():
    text = "Chapters were revised: Introduction (3), Methods (12), Results (40) and Discussion (7)."
    assert find_enumerations(text) == ()


def test_enumeration_gives_figures_and_military_support(tmp_path):
    doc, sdoc = parsed(ENUM)
    facts = extract_document(doc, sdoc)
    figs = [(f.actor, f.low) for f in facts.figures if f.kind == "force_size"]
    assert {("iso:AUT", 410), ("iso:GHA", 620), ("iso:NZL", 17), ("iso:USA", 1100)} <= set(figs)
    assert [f[1] for f in figs].count(410) == 1  # the prose reader does not count it again
    sup = {(r.source, r.target, r.qualifier) for r in facts.relations if r.relation == "supports"}
    unit = next(a.key for a in facts.actors if "multinational" in a.name)
    assert {("iso:GHA", unit, "military"), ("iso:NZL", unit, "military")} <= sup
    for f in facts.figures:
        e = f.evidence[0]
        assert doc.text[e.start:e.end] == e.quote


# ---------------------------------------------------------------------------- small counts


def _figures(text):
    doc, sdoc = parsed(text)
    return [(f.kind, f.low, f.high) for f in extract_document(doc, sdoc).figures]


def test_one_person_counted_by_the_article():
    assert _figures("In May 1999 a Canadian soldier was killed near the border.") == [("deaths", 1, 1)]
    assert _figures("In 2003 an Irish journalist was injured in the blast.") == [("wounded", 1, 1)]
    assert _figures("In 1971 the rebels took a British prisoner near the pass.") == [("other", 1, 1)]


def test_a_conditional_negated_or_unrelated_article_is_no_count():
    assert _figures("If a soldier is killed, the unit withdraws.") == []
    assert _figures("A soldier would be killed if he moved.") == []
    assert _figures("A soldier was sent to the front in 1940.") == []


def test_the_death_of_a_spelled_number_is_a_toll_and_footnotes_are_no_numbers():
    assert _figures("In 1962 a clash led to the death of nine border guards.[65]") == [("deaths", 9, 9)]
    assert _figures("The deaths of 200 soldiers shocked the nation.") == [("deaths", 200, 200)]
    assert _figures("Two soldiers walked in.") == []


def test_the_lead_of_an_enumeration_gives_the_force_totals():
    doc, sdoc = parsed(ENUM)
    facts = extract_document(doc, sdoc)
    unit = next(a.key for a in facts.actors if "multinational" in a.name)
    totals = sorted(f.low for f in facts.figures if f.actor == unit)
    assert totals == [300, 2150]  # "grew from 300 to 2,150 troops": both ends, once each
    assert [f.low for f in facts.figures].count(300) == 1


OCCUPATION = """Romanian–Bulgarian battles

| Battle | Year | Commander | Commander | Result |
|---|---|---|---|---|
| Romanian Occupation of Silistra | 1913 | Carol Petrescu | Ivan Dobrev | Armistice |
"""


def test_an_engagement_named_for_a_side_makes_that_side_the_agent():
    rows = battle_rows(OCCUPATION)
    assert len(rows) == 1
    doc, sdoc = parsed(OCCUPATION)
    facts = extract_document(doc, sdoc)
    names = {a.key: a.name for a in facts.actors}
    ev = next(e for e in facts.events if e.evidence[0].quote.startswith("| Romanian Occupation"))
    assert ev.type == "CAPTURE"
    assert "Romania" in {names[k] for k in ev.agents}


BELLIGERENTS = """+------------------+-----------+-------------+-------------+
| Engagement       | Date      | Victor      | Defeated    |
+==================+===========+=============+=============+
| Battle of Dogali | 1887      | Ethiopia    | Italy       |
+------------------+-----------+-------------+-------------+
"""

NO_SIDES = """+---------------+------+----------+
| Battle        | Year | Location |
+===============+======+==========+
| Battle of Foo | 1887 | Foo      |
+---------------+------+----------+
"""


def test_side_columns_or_a_caption_stand_in_for_commanders():
    rows = battle_rows(BELLIGERENTS)
    assert len(rows) == 1 and [s[0] for s in rows[0].sides] == ["Ethiopia", "Italy"]
    doc, sdoc = parsed(BELLIGERENTS)
    facts = extract_document(doc, sdoc)
    names = {a.key: a.name for a in facts.actors}
    rels = {(names[r.source], r.relation, names[r.target]) for r in facts.relations}
    assert ("Ethiopia", "fights", "Italy") in rels
    assert battle_rows(NO_SIDES) == ()  # nobody named on either side: nothing to read
    captioned = "Ethiopian–Italian battles\n\n" + NO_SIDES
    assert len(battle_rows(captioned)) == 1


def test_captured_people_are_prisoners_not_a_force():
    assert _figures("In 1944 the partisans captured 300 soldiers.") == [("other", 300, 300)]
    assert _figures("In 1944 over 700 soldiers were taken prisoner.") == [("other", 700, None)]
    assert _figures("In 1944 the partisans took 120 prisoners.") == [("other", 120, 120)]
    # what was captured may be places: a bare number after the verb is no count
    assert _figures("In 1944 the army captured 40 out of the 56 districts.") == []
    assert _figures("In 1944 the rebels took 300 soldiers to the front.") == [("force_size", 300, 300)]


# ---------------------------------------------------------------------------- count tables

from conflictlens.extract.tables import count_cells  # noqa: E402

BY_ROW = """Casualties

| Country | Killed | Wounded | Ships |
|---|---|---|---|
| Peru | 1,200 | 3,400 | 2 |
| Chile | 900 | 2,100 | 1 |
"""

BY_COLUMN = """+-----------------+----------+-----------+
|                 | Peruvian | Chilean   |
+=================+==========+===========+
| Killed          | 1,200    | 900       |
+-----------------+----------+-----------+
| Cruisers        | 4        | 6         |
+-----------------+----------+-----------+
"""


def test_casualty_tables_either_way_round():
    rows = {(c.owner, c.kind, c.value) for c in count_cells(BY_ROW)}
    assert rows == {("Peru", "deaths", 1200), ("Peru", "wounded", 3400),
                    ("Chile", "deaths", 900), ("Chile", "wounded", 2100)}  # ships are no figure
    cols = {(c.owner, c.kind, c.value) for c in count_cells(BY_COLUMN)}
    assert cols == {("Peruvian", "deaths", 1200), ("Chilean", "deaths", 900)}


def test_casualty_table_figures_have_owners_and_row_evidence():
    doc, sdoc = parsed(BY_ROW)
    facts = extract_document(doc, sdoc)
    names = {a.key: a.name for a in facts.actors}
    figs = {(names.get(f.actor), f.kind, f.low) for f in facts.figures}
    assert figs == {("Peru", "deaths", 1200), ("Peru", "wounded", 3400),
                    ("Chile", "deaths", 900), ("Chile", "wounded", 2100)}
    for f in facts.figures:
        e = f.evidence[0]
        assert doc.text[e.start:e.end] == e.quote and e.quote.startswith("|")


def test_a_weather_table_is_no_casualty_table():
    text = "| Date | Rain | Outlook |\n|---|---|---|\n| 1 July | 2.0 | showers |\n"
    assert count_cells(text) == ()


def test_a_run_of_years_is_no_enumeration_of_counts():
    text = ("NATO troops served in Bosnia (1995), Kosovo (1999), Afghanistan (2001) and "
            "Libya (2011) under the same command.")
    assert find_enumerations(text) == ()


PLAIN = ("In 2004 KFOR's multinational brigade drew 4,000 troops from the following countries: "
         "Brazil, Chile, Bosnia and Herzegovina, the Philippines and Uruguay. Patrols began.")


def test_a_plain_list_of_contributors_gives_support_but_no_numbers():
    [en] = find_enumerations(PLAIN)
    assert [i.name for i in en.items] == ["Brazil", "Chile", "Bosnia and Herzegovina", "Philippines", "Uruguay"]
    doc, sdoc = parsed(PLAIN)
    facts = extract_document(doc, sdoc)
    unit = next(a.key for a in facts.actors if "multinational" in a.name)
    sup = {r.source for r in facts.relations if r.relation == "supports" and r.target == unit}
    assert {"iso:BRA", "iso:CHL", "iso:BIH", "iso:PHL", "iso:URY"} <= sup
    assert sorted(f.low for f in facts.figures) == [4000]
    assert find_enumerations("They came from the following countries: Brazil, the Kingdom of Spades.") == ()


def test_a_unit_that_comprises_people_gives_their_number_as_its_strength():
    assert _figures("In 1916 the brigade comprised 3,000 officers and men.") == [("force_size", 3000, 3000)]
    assert _figures("In 1916 the fleet included 40 destroyers.") == []


def test_a_battle_row_sets_commander_against_commander_not_against_the_other_state():
    doc, sdoc = parsed(GRID)
    facts = extract_document(doc, sdoc)
    names = {a.key: a.name for a in facts.actors}
    rels = {(names[r.source], r.relation, names[r.target]) for r in facts.relations}
    fights = {frozenset((s, t)) for s, rel, t in rels if rel == "fights"}
    assert frozenset(("Juan Buendia", "Erasmo Escala")) in fights
    assert frozenset(("Juan Buendia", "Chile")) not in fights
    assert frozenset(("Peru", "Erasmo Escala")) not in fights
