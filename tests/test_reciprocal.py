"""Reciprocal wording ("A and B contended for Z") and the control noun's of-phrase.

Sentences are written for these tests, about other conflicts.
"""

from __future__ import annotations

from test_relations import triples
from test_relations_precision import triples_of


def test_coordinated_subject_without_object_is_reciprocal():
    got = triples("In 1999 Iran and Israel contended for influence in Syria.")
    assert ("iran", "hostile_to", "israel") in got


def test_each_other_object_is_reciprocal():
    got = triples("The crisis saw Iran and Israel confronting each other.")
    assert ("iran", "hostile_to", "israel") in got
    got = triples("In 1999 the ELN and FARC fought each other.")
    assert ("eln", "fights", "farc") in got


def test_real_object_is_not_reciprocal():
    got = triples("In 1999 Iran and Syria threatened Israel.")
    assert ("iran", "hostile_to", "syria") not in got
    assert ("iran", "hostile_to", "israel") in got


def test_negated_reciprocal_verb_states_nothing():
    got = triples("In 1999 Iran and Israel did not compete for influence.")
    assert ("iran", "hostile_to", "israel") not in got


def test_control_of_names_what_is_controlled():
    assert ("syria", "controls", "hezbollah") in triples("In 1990 Syria took control of Hezbollah.")


def test_under_the_control_of_names_the_holder():
    got = triples("In 1990 Hezbollah came under the control of Syria.")
    assert ("syria", "controls", "hezbollah") in got
    got = triples("In 1996 Iran attacked the areas under the control of Syria.")
    assert ("syria", "controls", "iran") not in got


def test_what_a_rivalry_is_over_is_not_a_party():
    got = triples("The rivalry between Iran and Israel over Syria grew.")
    assert ("iran", "hostile_to", "israel") in got
    assert ("iran", "hostile_to", "syria") not in got and ("israel", "hostile_to", "syria") not in got


def test_run_prefix_is_control():
    got = triples("The Syria-run Hezbollah camps grew.")
    assert ("syria", "controls", "hezbollah") in got


def test_uprising_against_a_demonym_rule_names_the_ruler():
    got = triples_of("In 1992 a Bosnian uprising against Serbian rule failed.")
    assert ("iso:BIH", "fights", "iso:SRB") in got


def test_possessive_pronoun_role_is_owned_by_the_subject():
    got = triples("In 1913 Russia could not afford to lose its last ally, Serbia.")
    assert ("serbia", "allied_with", "russia") in got or ("russia", "allied_with", "serbia") in got
    got = triples("In 1999 Iran armed its proxy, Hezbollah.")
    assert ("iran", "supports", "hezbollah") in got


def test_possessive_office_is_not_a_stance():
    got = triples("In 1999 Hezbollah named its spokesman, Hassan Nasrallah.")
    assert ("nasrallah", "allied_with", "hezbollah") not in got


def test_opposition_to_a_demonym_rule_names_the_ruler():
    got = triples_of("In 1992 the stance was seen as Bosnian opposition to Serbian rule.")
    assert ("iso:BIH", "hostile_to", "iso:SRB") in got
