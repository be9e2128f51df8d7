"""Names the tagger misreads as actors: markup, places, a people's word, common words."""

from __future__ import annotations

from conflictlens.extract.actor_misreads import markup_spans, not_a_name, place_shaped
from conflictlens.extract.actor_surnames import surname
from conftest import actors_of, find


def names(actors) -> set[str]:
    return {n for a in actors for n in {a.name, *a.aliases}}


def test_files_urls_wiki_links_and_stances_are_no_names():
    for junk in ("US_airstrike_near_the_dam", "SDF fighters.png", "http://example.org/x", "un-Islamic",
                 "Raqqa city.[12", "Category", "On", "However"):
        assert not_a_name(junk), junk
    for name in ("US", "Syrian Democratic Forces", "Hezb-e Islami", "Ahmet Pasha"):
        assert not not_a_name(name), name


def test_gallery_category_and_work_titles_are_apparatus():
    text = ("Image:Rebels at the bridge.png|Rebel fighters of the Northern Front near the bridge\n"
            "Category:Wars of the 1990s Category:Northern Front\n"
            "The historian concludes in Modern Ruritania: A History of Struggle and Survival that it failed.")
    spans = markup_spans(text)
    for word in ("Northern Front", "Survival", "Wars of the 1990s"):
        i = text.index(word)
        assert any(s <= i and i + len(word) <= e for s, e in spans), word
    i = text.index("The historian")
    assert not any(s <= i < e for s, e in spans)


def test_a_reference_mark_ends_a_name_and_names_in_captions_are_not_actors():
    text = ("In 2016 the Syrian Democratic Forces advanced on the dam.[12] The Syrian Army held the city.[13] "
            "On 5 May the Syrian Democratic Forces attacked again.\n"
            "Image:Fighters.png|Fighters of the Karama Brigade near the dam\n")
    actors, _ = actors_of(text)
    got = names(actors)
    assert "Syrian Democratic Forces" in got
    assert not any("[" in n or "png" in n or n in ("On", "Image") for n in got), got
    assert "Karama Brigade" not in got


def test_a_place_the_gazetteer_knows_is_never_a_person():
    text = ("In 1996 the militia of Rashid Dostum held the north. The front ran through the provinces "
            "of Balkh, Samangan and Kunduz. Dostum later visited Ashgabat.")
    actors, _ = actors_of(text)
    got = names(actors)
    assert "Samangan" not in got and "Ashgabat" not in got


def test_a_town_the_text_puts_where_places_stand_is_a_place():
    text = ("In April 1993 the Bosnian Serb army besieged Vrbanja. Thousands of refugees fled into Vrbanja, "
            "and the shelling of Vrbanja went on. In July the army entered Vrbanja and the garrison "
            "surrendered near Vrbanja.")
    actors, _ = actors_of(text)
    assert "Vrbanja" not in names(actors)


def test_a_person_named_like_a_town_stays_a_person():
    text = ("In 1979 the Soviet Union, under Brezhnev, intervened. Leonid Brezhnev said that the army "
            "would stay. Brezhnev died in 1982.")
    actors, _ = actors_of(text)
    assert find(actors, "Brezhnev").type == "person"


def test_names_built_as_places():
    assert place_shaped("Tal Saman") and place_shaped("Mosul Dam") and place_shaped("Fort Brest")
    assert not place_shaped("Talal Silo") and not place_shaped("Hamid Karzai")


def test_a_peoples_word_is_one_people_not_a_person():
    text = ("The alliance included Tajiks, Uzbeks and Hazaras. The dominantly Tajik forces of the "
            "commander held the valley, and Tajik fighters defended the pass in 1997.")
    actors, _ = actors_of(text)
    tajik = [a for a in actors if {"Tajik", "Tajiks"} & {a.name, *a.aliases}]
    assert len(tajik) == 1 and tajik[0].type == "ethnic_group"


def test_common_words_opening_a_sentence_are_no_actors():
    text = ("Sharp contrasts existed between the regions. The Northern Front fought the government in 1994.\n"
            "Second civil war (1994–1996): Continuation of the conflict between the Northern Front and "
            "the government.")
    actors, _ = actors_of(text)
    got = names(actors)
    assert "Sharp" not in got
    assert not any(n.startswith("Continuation") for n in got)


def test_a_title_after_the_name_goes_with_the_name():
    assert surname("Kara Mustafa Pasha") == "Mustafa Pasha"
    assert surname("Ahmet Pasha") == "Ahmet Pasha"
    text = ("In 1683 Kara Mustafa Pasha marched on Vienna. Ahmet Pasha, the governor of Buda, joined him "
            "with 5,000 men. Later Ahmet Pasha retreated to Belgrade.")
    actors, _ = actors_of(text)
    got = names(actors)
    assert "Pasha" not in got and "Later Ahmet Pasha" not in got
    assert find(actors, "Ahmet Pasha").type == "person"
    assert find(actors, "Ahmet Pasha") is not find(actors, "Kara Mustafa Pasha")


def test_a_bare_surname_goes_to_the_one_last_named_in_full():
    text = ("Hafez al-Assad ruled Syria until 2000. His son Bashar al-Assad succeeded him. "
            "In 2011 protesters demanded that Assad resign.")
    actors, _ = actors_of(text)
    assert find(actors, "Assad") is find(actors, "Bashar al-Assad")
    assert find(actors, "Hafez al-Assad") is not find(actors, "Bashar al-Assad")


def test_reference_sections_are_apparatus_but_notes_are_read():
    body = "The Northern Front fought the government in 1994. " * 20
    text = (body + "\n\nSee also\n\n-   Ruritanian Liberation Army\n\n\nBibliography\n\n"
            "-   Marek Holub, The Long War, Oxford University Press, 1999.\n\n"
            "[1] The valley was held by the Karsti almost from the time they came.\n")
    spans = markup_spans(text)
    for word in ("Ruritanian Liberation Army", "Marek Holub", "Oxford University Press"):
        i = text.index(word)
        assert any(s <= i < e for s, e in spans), word
    i = text.index("Karsti")
    assert not any(s <= i < e for s, e in spans)


def test_a_list_of_name_pairs_gives_no_aliases():
    text = ("In 1997 a film was made, featuring Tom Hale (Theodore Roosevelt), Ann Day (Leonard Wood) and "
            "Sam Brook (William McKinley). Theodore Roosevelt led the Rough Riders in 1898.")
    actors, _ = actors_of(text)
    assert "Tom Hale" not in {find(actors, "Theodore Roosevelt").name, *find(actors, "Theodore Roosevelt").aliases}
    text = "In 1591 Telli Hasan Pasha (Hasan Pasha Predojević) attacked Sisak. Hasan Pasha retreated."
    actors, _ = actors_of(text)
    assert find(actors, "Telli Hasan Pasha") is find(actors, "Hasan Pasha Predojević")


def test_a_persons_name_standing_as_a_town_is_the_town():
    text = ("Booker T. Washington spoke in 1898. Washington said the war was just. Congress met in Washington "
            "in April 1898.")
    actors, mentions = actors_of(text)
    person = find(actors, "Booker T. Washington")
    town = text.index("in Washington") + 3
    assert not any(m.start == town for m in mentions)
    assert any(m.text == "Washington" for m in person.mentions)


def test_a_body_named_by_its_own_words_is_not_a_people():
    from conflictlens.extract.actor_misreads import retype_bodies
    from conflictlens.records import LocalActor

    actors = {"communist party": LocalActor(key="communist party", name="Communist Party", type="ethnic_group",
                                            aliases={"Bolsheviks"}),
              "ethnic:kurd": LocalActor(key="ethnic:kurd", name="Kurds", type="ethnic_group")}
    retype_bodies(actors)
    assert actors["communist party"].type == "political_party"
    assert actors["ethnic:kurd"].type == "ethnic_group"


def test_words_of_a_reference_are_no_names():
    assert not_a_name("Vol") and not_a_name("ISBN") and not not_a_name("Volga")


def test_citing_notes_are_apparatus_quoting_notes_are_text():
    from conflictlens.extract.actor_misreads import citation_notes

    text = ("Body.\n[3] Marek Holub, _The Long War_, Ruritania Press, p. 71.\n"
            '[4] : "The valley was held by the Karsti almost from the time they first came to it."\n')
    spans = citation_notes(text)
    assert any(s <= text.index("Marek") < e for s, e in spans)
    assert not any(s <= text.index("Karsti") < e for s, e in spans)
    assert not_a_name("A.") and not not_a_name("A. Smith")


def test_a_river_crossed_is_a_place():
    text = ("In 2016 the Northern Front crossed the Varda near the dam. Fighting went on along the Varda, "
            "and the army held the banks of the Varda in May.")
    actors, _ = actors_of(text)
    assert "Varda" not in names(actors)


def test_a_ruler_named_with_title_and_number_is_a_person():
    from conflictlens.extract.actor_forms import ruler_names

    text = ("In 1912 King Constantine I of Greece led the army north against the Ottoman Empire. In November "
            "1912 Constantine I entered Salonika, and in 1913 Constantine met the envoy there.")
    assert ("King Constantine I", text.index("King"), text.index(" of Greece")) in list(ruler_names(text))
    assert list(ruler_names("The commander Ahmad Shah Massoud and Prince Sultan met.")) == []
    actors, _ = actors_of(text)
    king = find(actors, "Constantine I")
    assert king.type == "person" and king.name == "King Constantine I" and len(king.mentions) == 2


def test_a_title_taken_alone_by_the_tagger_goes_back_to_its_name():
    text = ("In 1683 Kara Mustafa Pasha marched on Vienna. Ahmet Pasha, the governor of Buda, joined him "
            "with 5,000 men. Later Ahmet Pasha retreated to Belgrade.")
    actors, mentions = actors_of(text)
    assert len(find(actors, "Ahmet Pasha").mentions) == 2
