"""Translations: a Spanish module beside its English one, with the same ids, served to those who
ask for Spanish; parity with the English checked at file:line; English whenever a translation
is missing or broken."""

import hashlib
import os

import pytest
from helpers import guide_example, words, write_module, write_translation

from course.content import Catalog
from course.content.checks import MAX_SECTION_WORDS_BY_LANG, check_module
from course.content.page import LocalizedPage
from course.models import Role

LANGS = ("en", "es")
ENGLISH = guide_example().replace(
    "> **Reflect:** If you like", "> **Reflect (My plan: Caring for myself):** If you like"
)

SPANISH = """\
---
title: Notar su propio estrés
minutes: 15
summary: Reconozca las señales del estrés en usted y pruebe una forma pequeña de aliviarlo.
objectives:
  - Nombrar tres señales de estrés en su cuerpo o en su ánimo
  - Elegir una cosa pequeña para probar esta semana
translated_from: {version}
---

Cuidar a alguien que usted quiere cansa mucho. Este módulo corto es sobre usted.

## Señales de estrés {{#signs-of-stress}}

El estrés se nota en el cuerpo (hombros tensos, mal sueño) y en el ánimo (contestar mal,
sentirse vacío). Notarlo a tiempo le da más opciones.

**Esta semana, pruebe:** fíjese en un momento en que se sienta tenso. ¿Dónde lo siente?

## Un paso pequeño {{#one-small-step}}

Las cosas pequeñas ayudan: caminar, llamar a un amigo, respirar despacio diez veces.

> **Para reflexionar (Mi plan: Cuidarme):** Si quiere, anote algo {{#one-small-step-reflect}}
> que le ayudó en una semana difícil.

## Cuestionario

### Una tarde tensa {{#a-tense-evening}}

Después de una llamada difícil, tiene la mandíbula tensa. ¿Qué puede ayudar primero?

- [x] Respirar despacio diez veces. {{#take-ten-slow-breaths-before-you-do}}
  > Sí. Respirar despacio calma la alarma del cuerpo.
- [ ] Llamar enseguida a su ser querido. {{#call-your-loved-one-back-at-once-to-sort}}
  > Actuar con el cuerpo en alerta suele llevar a palabras que luego lamenta.
- [ ] Ignorarlo; se pasará solo. {{#ignore-it-it-will-pass-by-itself}}
  > Puede pasar, pero notarlo es el primer paso para aliviarlo.

**Por qué:** Calmar el cuerpo primero hace más fácil cada paso.

### El estrés es una debilidad {{#stress-is-a-weakness}}

Sentir estrés quiere decir que usted no lo está llevando bien.

- [ ] Verdadero {{#true}}
  > El estrés es una respuesta normal a una situación difícil.
- [x] Falso {{#false}}
  > Así es. Todos lo sentimos.

**Por qué:** El estrés es una señal, no un fallo.

### Formas de aliviar el estrés {{#ways-to-ease-stress}}

¿Cuáles de estas cosas pueden aliviar el estrés?

Elija todas las que correspondan.

- [x] Una caminata corta {{#a-short-walk}}
  > Sí. Mover el cuerpo ayuda a soltar la tensión.
- [x] Hablar con un amigo {{#talking-with-a-friend}}
  > Sí. Compartir la carga ayuda.
- [ ] Saltarse comidas para hacer más {{#skipping-meals-to-get-more-done}}
  > Esto suele aumentar el estrés.

**Por qué:** Los actos pequeños y amables suman.

## Fuentes

- American Psychological Association, "Stress effects on the body" (apa.org).
"""


def version_of(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line holding `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def pair(module_folder):
    """An English module and a good Spanish translation; returns (folder, Spanish text maker)."""
    english = write_module(module_folder, "13-stress.md", ENGLISH)

    def spanish(text=None, **changes):
        text = (text or SPANISH).format(version=version_of(english))
        for old, new in changes.items():
            text = text.replace(old, new)
        return text

    return module_folder, spanish


def translated(folder, text):
    """Write the Spanish file; the catalog and the file's path."""
    path = write_translation(folder, "es", "13-stress.md", text)
    return Catalog(folder, languages=LANGS), path


def parity(catalog):
    return [str(problem) for problem in catalog.translations("es")[0].problems]


# Serving ---------------------------------------------------------------------------------------


def test_a_good_translation_is_served_with_the_english_slug_order_and_ids(pair):
    folder, spanish = pair
    catalog, path = translated(folder, spanish())

    module = catalog.get("stress", lang="es")
    assert module.lang == "es" and module.title == "Notar su propio estrés"
    assert (module.slug, module.order, module.pass_score) == ("stress", 13, 0.8)
    assert module.path == str(path)
    assert [m.lang for m in catalog.localized("es")] == ["es"]
    assert catalog.translations("es")[0].state == "in step"
    # English callers get English, as before.
    assert catalog.get("stress").lang == "en" and catalog.published[0].lang == "en"
    assert catalog.localized("en")[0].title == "Noticing your own stress"
    # A language without translations falls back to English, saying so through `lang`.
    assert catalog.get("stress", lang="fr").lang == "en"


def test_spanish_keywords_make_the_same_prompts_and_questions(pair):
    folder, spanish = pair
    module = translated(folder, spanish())[0].get("stress", lang="es")
    english = Catalog(folder).get("stress")

    assert [p.id for p in module.prompts] == ["one-small-step-reflect"]
    assert module.prompts[0].plan == "Caring for myself"  # The English name of the plan part.
    assert "Para reflexionar" not in module.prompts[0].html
    kinds = {q.id: q.kind for q in module.questions}
    assert kinds == {q.id: q.kind for q in english.questions}
    assert kinds["ways-to-ease-stress"] == "multiple"
    assert kinds["stress-is-a-weakness"] == "true_false"
    assert "Elija todas" not in module.question("ways-to-ease-stress").stem_html
    assert "apa.org" in module.sources_html
    assert module.question("a-tense-evening").correct_ids == english.question(
        "a-tense-evening").correct_ids


def test_a_draft_english_module_keeps_its_translation_from_members(pair):
    folder, spanish = pair
    write_module(folder, "13-stress.md", ENGLISH.replace("order: 13", "order: 13\ndraft: true"))
    catalog, _ = translated(folder, spanish())

    assert catalog.localized("es") == ()
    assert catalog.get("stress", lang="es") is None
    assert catalog.get("stress", lang="es", include_drafts=True).is_draft


def test_a_translation_with_errors_is_left_out_and_members_get_english(pair):
    folder, spanish = pair
    catalog, path = translated(folder, spanish(**{"{#a-short-walk}": "{#a-walk}"}))

    assert catalog.get("stress", lang="es").lang == "en"
    assert [m.lang for m in catalog.localized("es")] == ["en"]
    entry = catalog.translations("es")[0]
    assert entry.state == "errors" and entry.module is None


def test_in_development_an_edited_translation_is_read_again(pair):
    folder, spanish = pair
    catalog, path = translated(folder, spanish())
    path.write_text(spanish().replace("Notar su propio estrés", "Su estrés"), encoding="utf-8")
    os.utime(path, ns=(1, 1))

    assert catalog.refresh() is True
    assert catalog.get("stress", lang="es").title == "Su estrés"
    assert catalog.refresh() is False


def test_a_translation_without_its_english_module_is_an_error(module_folder):
    write_module(module_folder, "13-stress.md", ENGLISH)
    path = write_translation(module_folder, "es", "14-other.md", SPANISH.format(version="0" * 12))
    catalog = Catalog(module_folder, languages=LANGS)

    assert [str(p) for p in catalog.translations("es")[0].problems] == [
        (f'{path}:1: there is no English module "14-other.md" to translate; a translation has '
        "the file name of its English module")
    ]


def test_keys_that_come_from_the_english_module_are_errors_in_a_translation(pair):
    folder, spanish = pair
    text = spanish(**{"minutes: 15": "minutes: 15\norder: 4\nalways_open: true"})
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        f'{path}:4: "order" comes from the English module; remove it from the translation',
        f'{path}:5: "always_open" comes from the English module; remove it from the translation',
    ]


# Parity ----------------------------------------------------------------------------------------


def test_an_extra_section_is_reported_at_its_heading(pair):
    folder, spanish = pair
    text = spanish(**{"## Cuestionario": "## Más {#more}\n\nUn poco más.\n\n## Cuestionario"})
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "{#more}")}: section "more" is not in the English module; pin '
        "the id of the English section it translates (signs-of-stress, one-small-step), or "
        "remove it")
    ]


def test_a_missing_section_is_reported_where_it_belongs(pair):
    folder, spanish = pair
    text = spanish()
    start, end = text.index("## Señales"), text.index("## Un paso")
    text = text[:start] + text[end:]
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "{#one-small-step}")}: missing section "signs-of-stress" of the '
        'English module; translate it, with "{#signs-of-stress}" at the end of its heading')
    ]


def test_an_unpinned_heading_shows_as_extra_and_missing(pair):
    folder, spanish = pair
    text = spanish(**{" {#signs-of-stress}": ""})
    catalog, path = translated(folder, text)

    line = line_of(text, "## Señales de estrés")
    assert [p.split(": ", 1) for p in parity(catalog)] == [
        [f"{path}:{line}", ('section "senales-de-estres" is not in the English module; pin the '
                            "id of the English section it translates (signs-of-stress, "
                            "one-small-step), or remove it")],
        [f"{path}:{line}", ('missing section "signs-of-stress" of the English module; translate '
         'it, with "{#signs-of-stress}" at the end of its heading')],
    ]


def test_sections_in_another_order_are_reported_once(pair):
    folder, spanish = pair
    text = spanish()
    first, second = text.index("## Señales"), text.index("## Un paso")
    quiz = text.index("## Cuestionario")
    text = text[:first] + text[second:quiz] + "\n" + text[first:second] + text[quiz:]
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "{#one-small-step}")}: section "one-small-step" is out of order; '
        "the English order is: signs-of-stress, one-small-step")
    ]


def test_a_missing_and_an_extra_question(pair):
    folder, spanish = pair
    text = spanish(**{"{#stress-is-a-weakness}": "{#es-una-debilidad}"})
    catalog, path = translated(folder, text)

    line = line_of(text, "{#es-una-debilidad}")
    assert parity(catalog) == [
        (f'{path}:{line}: question "es-una-debilidad" is not in the English module; pin the id '
        "of the English question it translates (a-tense-evening, stress-is-a-weakness, "
        "ways-to-ease-stress), or remove it"),
        (f'{path}:{line}: missing question "stress-is-a-weakness" of the English module; '
        'translate it, with "{#stress-is-a-weakness}" at the end of its heading'),
    ]


def test_questions_in_another_order(pair):
    folder, spanish = pair
    text = spanish()
    first, second = text.index("### Una tarde"), text.index("### El estrés")
    third = text.index("### Formas")
    text = text[:first] + text[second:third] + text[first:second] + text[third:]
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "{#stress-is-a-weakness}")}: question "stress-is-a-weakness" is '
        "out of order; the English order is: a-tense-evening, stress-is-a-weakness, "
        "ways-to-ease-stress")
    ]


def test_a_missing_and_an_extra_option(pair):
    folder, spanish = pair
    text = spanish(**{
        "- [ ] Ignorarlo; se pasará solo. {#ignore-it-it-will-pass-by-itself}":
            "- [ ] Ignorarlo; se pasará solo. {#ignorarlo}",
    })
    catalog, path = translated(folder, text)

    line = line_of(text, "{#ignorarlo}")
    assert parity(catalog) == [
        (f'{path}:{line}: question "a-tense-evening" has option "ignorarlo", which is not in '
        "the English module; pin the id of the English option it translates "
        "(take-ten-slow-breaths-before-you-do, call-your-loved-one-back-at-once-to-sort, "
        "ignore-it-it-will-pass-by-itself), or remove it"),
        (f'{path}:{line}: question "a-tense-evening" is missing option '
        '"ignore-it-it-will-pass-by-itself" of the English module; translate it, with '
        '"{#ignore-it-it-will-pass-by-itself}" at the end of its first line'),
    ]


def test_options_in_another_order(pair):
    folder, spanish = pair
    text = spanish(**{
        "- [ ] Verdadero {#true}\n  > El estrés es una respuesta normal a una situación difícil.\n"
        "- [x] Falso {#false}\n  > Así es. Todos lo sentimos.":
        "- [x] Falso {#false}\n  > Así es. Todos lo sentimos.\n"
        "- [ ] Verdadero {#true}\n  > El estrés es una respuesta normal a una situación difícil.",
    })
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "{#false}")}: question "stress-is-a-weakness" has option '
        '"false" out of order; the English order is: true, false')
    ]


def test_a_different_right_option_is_reported_at_each_option(pair):
    folder, spanish = pair
    text = spanish(**{
        "- [x] Respirar despacio": "- [ ] Respirar despacio",
        "- [ ] Llamar enseguida": "- [x] Llamar enseguida",
    })
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "Respirar despacio diez")}: option '
        '"take-ten-slow-breaths-before-you-do" of question "a-tense-evening" is right in '
        "English: mark it [x], as there"),
        (f'{path}:{line_of(text, "Llamar enseguida")}: option '
        '"call-your-loved-one-back-at-once-to-sort" of question "a-tense-evening" is wrong in '
        "English: mark it [ ], as there"),
    ]


def test_a_question_of_another_kind(pair):
    folder, spanish = pair
    text = spanish(**{"- [ ] Verdadero {#true}": "- [ ] Cierto {#true}"})
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "{#stress-is-a-weakness}")}: question "stress-is-a-weakness" '
        'is true or false in English; its options are "Verdadero" and "Falso"')
    ]


def test_a_missing_and_an_extra_prompt(pair):
    folder, spanish = pair
    text = spanish(**{"{#one-small-step-reflect}": "{#un-paso-reflexion}"})
    catalog, path = translated(folder, text)

    line = line_of(text, "{#un-paso-reflexion}")
    assert parity(catalog) == [
        (f'{path}:{line}: reflection prompt "un-paso-reflexion" is not in the English module; '
        "pin the id of the English reflection prompt it translates (one-small-step-reflect), or "
        "remove it"),
        (f'{path}:{line}: missing reflection prompt "one-small-step-reflect" of the English '
        'module; translate it, with "{#one-small-step-reflect}" at the end of its first line'),
    ]


def test_a_prompt_in_another_section(pair):
    folder, spanish = pair
    prompt = ("> **Para reflexionar (Mi plan: Cuidarme):** Si quiere, anote algo "
              "{#one-small-step-reflect}\n> que le ayudó en una semana difícil.\n")
    text = spanish(**{prompt: ""})
    text = text.replace("## Un paso", prompt + "\n## Un paso")
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "{#one-small-step-reflect}")}: reflection prompt '
        '"one-small-step-reflect" is in section "one-small-step" in English; move it there')
    ]


def test_a_different_part_of_the_plan(pair):
    folder, spanish = pair
    text = spanish(**{"Mi plan: Cuidarme": "Mi plan: A quién puedo llamar"})
    catalog, path = translated(folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "{#one-small-step-reflect}")}: reflection prompt '
        '"one-small-step-reflect" is part of My plan "Caring for myself" in English: write '
        '"> **Para reflexionar (Mi plan: Cuidarme):** ..."')
    ]
    text = spanish(**{" (Mi plan: Cuidarme)": ""})
    catalog, path = translated(folder, text)
    assert parity(catalog)[0].endswith(
        'is part of My plan "Caring for myself" in English: write '
        '"> **Para reflexionar (Mi plan: Cuidarme):** ..."')


def test_a_plain_prompt_in_english_is_plain_in_the_translation(module_folder):
    english = write_module(module_folder, "13-stress.md", guide_example())
    text = SPANISH.format(version=version_of(english))
    catalog, path = translated(module_folder, text)

    assert parity(catalog) == [
        (f'{path}:{line_of(text, "{#one-small-step-reflect}")}: reflection prompt '
        '"one-small-step-reflect" is not part of My plan in English: write '
        '"> **Para reflexionar:** ..."')
    ]


# Spanish keywords in the format's own errors ---------------------------------------------------


def test_format_errors_in_a_spanish_file_quote_the_spanish_keywords(pair):
    folder, spanish = pair
    cases = {
        "## Cuestionario": ('add a "## Cuestionario" section with questions', '"## Quiz"'),
        "Mi plan: Cuidarme": ('unknown part of the plan "Cuidarrme"', None),
        "Elija todas las que correspondan.": ('"Elija todas las que correspondan."', None),
        "**Para reflexionar (Mi plan: Cuidarme):**": ('"Para reflexionar:"', None),
    }
    replacements = {
        "## Cuestionario": "## Quiz",
        "Mi plan: Cuidarme": "Mi plan: Cuidarrme",
        "Elija todas las que correspondan.": "",
        "**Para reflexionar (Mi plan: Cuidarme):**": "**Reflect:**",
    }
    for old, (expected, also) in cases.items():
        catalog, _ = translated(folder, spanish(**{old: replacements[old]}))
        found = " | ".join(parity(catalog))
        assert expected in found, (old, found)
        if also:
            assert also in found, (old, found)
        assert catalog.get("stress", lang="es").lang == "en"


def test_an_unknown_plan_part_lists_the_spanish_names(pair):
    folder, spanish = pair
    catalog, _ = translated(folder, spanish(**{"Mi plan: Cuidarme": "Mi plan: Cuidarrme"}))
    message = parity(catalog)[0]
    assert 'did you mean "Cuidarme"?' in message
    assert '"Mantenerme a salvo"' in message and '"Staying safe"' not in message


# Behind the English ----------------------------------------------------------------------------


def test_an_english_file_newer_than_its_translation_is_a_warning(pair):
    folder, spanish = pair
    catalog, path = translated(folder, SPANISH.format(version="0" * 12))
    text = path.read_text(encoding="utf-8")
    entry = catalog.translations("es")[0]
    current = version_of(folder / "13-stress.md")

    assert entry.problems == ()
    assert [str(w) for w in entry.warnings] == [
        (f"{path}:{line_of(text, 'translated_from')}: the English module changed since this "
        f"translation (translated_from: 000000000000, but the English version is now "
        f"{current}); bring the translation in step, then write \"translated_from: {current}\"")
    ]
    assert entry.state == "behind the English"
    assert catalog.get("stress", lang="es").lang == "es"  # Still served.


def test_a_translation_that_does_not_say_its_english_version_is_behind(pair):
    folder, spanish = pair
    text = "\n".join(
        line for line in spanish().splitlines() if not line.startswith("translated_from")
    )
    catalog, path = translated(folder, text)
    entry = catalog.translations("es")[0]
    current = version_of(folder / "13-stress.md")

    assert entry.state == "behind the English"
    assert [str(w) for w in entry.warnings] == [
        (f'{path}:1: say which English version this translates: add "translated_from: '
        f'{current}" to the front matter once it is in step')
    ]


def test_a_bad_translated_from_is_an_error(pair):
    folder, spanish = pair
    catalog, path = translated(folder, spanish(**{"translated_from: ": "translated_from: v"}))
    assert parity(catalog) == [
        (f'{path}:8: "translated_from" is the English module\'s 12-character version, like '
        '"a6349ac984e2" (flask content list --lang es --json prints it)')
    ]


def test_translated_from_is_unknown_in_an_english_file(module_folder):
    write_module(module_folder, "13-stress.md", ENGLISH.replace(
        "minutes: 15", "minutes: 15\ntranslated_from: a6349ac984e2"))
    catalog = Catalog(module_folder, languages=LANGS)
    assert any('unknown front-matter key "translated_from"' in str(p) for p in catalog.problems)


# Checks in Spanish -----------------------------------------------------------------------------


def test_the_spanish_section_limit_is_340_words(pair):
    folder, spanish = pair
    assert MAX_SECTION_WORDS_BY_LANG == {"en": 300, "es": 340}
    filler = " ".join(["palabra"] * 298)
    catalog, _ = translated(folder, spanish(**{"Notarlo a tiempo": filler + " Notarlo"}))
    assert parity(catalog) == []
    catalog, path = translated(folder, spanish(**{"Notarlo a tiempo": filler + " " + filler}))
    assert parity(catalog)[0] == (
        f'{path}:{line_of(SPANISH, "{{#signs-of-stress}}")}: section "Señales de estrés" has '
        "634 words; keep a section to 340 or fewer (reflection prompts don't count): cut it, "
        'or split it in two with a new "## " heading'
    )


def checked(text, lang):
    from course.content import parse_text
    module = parse_text(text, "m.md", lang=lang).module
    assert module is not None
    return [p.message for p in check_module(module, text)]


def test_english_safety_and_craft_phrases_do_not_fire_on_spanish(pair):
    folder, spanish = pair
    text = spanish(**{
        "Las cosas pequeñas ayudan": "Un 64% de las familias lo logró con un terapeuta en "
        "sesiones; por su cuenta les fue menos bien. Si va a pillar un resfriado, descanse. "
        "Las cosas pequeñas ayudan",
    })
    assert checked(text, "es") == []


def test_spanish_safety_and_craft_checks_fire_on_spanish_phrases(pair):
    folder, spanish = pair
    leaving = spanish(**{
        "Notarlo a tiempo le da más opciones.": "Si su hijo llega drogado, puede pedirle que "
        "se vaya.",
    })
    assert any(m.startswith('"pedirle que se vaya" near drug use with no safety step')
               for m in checked(leaving, "es"))
    safe = leaving.replace("que se vaya.", "que se vaya, pero nunca lo deje solo y tenga "
                           "naloxona.")
    assert checked(safe, "es") == []
    figure = spanish(**{"Notarlo a tiempo le da más opciones.": "Dos de cada tres familias "
                        "lo lograron."})
    assert any(m.startswith('"Dos de cada tres" without its qualifier')
               for m in checked(figure, "es"))


def test_spanish_readability_scores_leave_textstat_in_english(pair):
    import textstat
    folder, spanish = pair
    module = translated(folder, spanish())[0].get("stress", lang="es")

    scores = module.readability
    assert set(scores) == {"fernandez_huerta", "szigriszt_pazos"}
    assert all(40 < value < 130 for value in scores.values())
    assert textstat.textstat._textstatistics__lang == "en_US"
    assert set(Catalog(folder).get("stress").readability) == {"grade"}


# The resources page ----------------------------------------------------------------------------


def test_the_resources_page_falls_back_to_english(tmp_path):
    english = tmp_path / "resources.md"
    english.write_text("# Help\n\nCall 988.\n", encoding="utf-8")
    pages = LocalizedPage(english, LANGS)

    assert pages.get("es").lang == "en" and pages.get("es").title == "Help"
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "resources.md").write_text(
        "# Ayuda\n\nLlame al 988 y oprima el 2.\n", encoding="utf-8")
    pages.refresh()
    assert pages.get("es").lang == "es" and pages.get("es").title == "Ayuda"
    assert pages.get("en").title == "Help" and pages.get("fr").lang == "en"


# The Content page and the command line ---------------------------------------------------------


def test_the_content_page_shows_each_modules_translations_and_their_state(
    module_folder, make_app, make_staff, signed_in
):
    english = write_module(module_folder, "13-stress.md", ENGLISH)
    write_module(module_folder, "14-later.md", guide_example().replace(
        "order: 13", "order: 14").replace("Noticing your own stress", "Work ahead"))
    write_module(module_folder, "15-last.md", guide_example().replace(
        "order: 13", "order: 15").replace("Noticing your own stress", "The last one"))
    write_translation(module_folder, "es", "13-stress.md", SPANISH.format(
        version=version_of(english)))
    plain = SPANISH.format(version="0" * 12).replace(" (Mi plan: Cuidarme)", "")
    write_translation(module_folder, "es", "14-later.md", plain)
    broken = plain.replace("{#a-short-walk}", "{#a-walk}")
    write_translation(module_folder, "es", "15-last.md", broken)
    app = make_app(module_folder, COURSE_LANGUAGES=LANGS)
    page = words(signed_in(app, make_staff("Ida", Role.AUTHOR)).get("/author"))

    assert "Spanish: 3 translations, 1 in step, 1 behind the English, 1 with errors." in page
    # Each translation by its own title, the English one beneath.
    assert "13. Notar su propio estrés Noticing your own stress es/13-stress.md In step" in page
    assert ("14. Notar su propio estrés Work ahead es/14-later.md Behind the English "
            "Members still get it. Line 8: Warning: the English module changed") in page
    assert ("15. Notar su propio estrés The last one es/15-last.md 2 errors Members get "
            "English until they are fixed. "
            f'Line {line_of(broken, "{#a-walk}")}: question "ways-to-ease-stress" has option') in (
        page)
    assert "Fernández-Huerta Szigriszt-Pazos" in page
    assert str(module_folder) not in page
    # Monitoring sees the translations' state too.
    health = app.test_client().get("/healthz").get_json()
    assert health["content"]["translations"] == {
        "es": {"translations": 3, "in_step": 1, "behind_the_english": 1, "with_errors": 1}}


def test_an_author_who_reads_spanish_gets_the_content_page_and_its_problems_in_spanish(
    pair, make_app, make_staff, signed_in
):
    from course.extensions import db
    from course.models import User

    folder, spanish = pair
    broken = spanish(**{"{#a-short-walk}": "{#a-walk}"})
    write_translation(folder, "es", "13-stress.md", broken)
    app = make_app(folder, COURSE_LANGUAGES=LANGS)
    ida = make_staff("Ida", Role.AUTHOR)
    with app.app_context():
        db.session.get(User, ida.id).locale = "es"
        db.session.commit()

    page = words(signed_in(app, ida).get("/author"))

    assert "Español: 1 traducción; al día: 0, atrasadas respecto al inglés: 0, con errores: 1." in (
        page)
    assert (f'Línea {line_of(broken, "{#a-walk}")}: la pregunta "ways-to-ease-stress" tiene '
            'la opción "a-walk", que no está en el módulo en inglés') in page
    assert "which is not in the English module" not in page


def test_the_content_page_says_when_a_module_has_no_translation_yet(
    module_folder, make_app, make_staff, signed_in
):
    write_module(module_folder, "13-stress.md", ENGLISH)
    (module_folder / "es").mkdir()
    app = make_app(module_folder, COURSE_LANGUAGES=LANGS)
    page = words(signed_in(app, make_staff("Ida", Role.AUTHOR)).get("/author"))
    assert ("Spanish: 0 translations, 0 in step, 0 behind the English, 0 with errors. 1 module "
            "has none yet.") in page
    assert "13. Noticing your own stress None yet — —" in page


def test_check_reports_parity_and_ends_with_a_line_per_language(runner, pair):
    folder, spanish = pair
    write_translation(folder, "es", "13-stress.md", SPANISH.format(version="0" * 12))
    result = runner.invoke(args=["content", "check", str(folder)])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{folder / 'es' / '13-stress.md'}:8: warning: the English module")
    assert lines[-2] == "1 module file checked: 1 published, 0 draft, 0 with errors. All good."
    assert lines[-1] == (
        "Spanish: 1 translation, 0 in step, 1 behind the English, 0 with errors."
    )

    write_translation(folder, "es", "13-stress.md", spanish(**{"{#a-short-walk}": "{#a-walk}"}))
    result = runner.invoke(args=["content", "check", str(folder)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Spanish: 1 translation, 0 in step, 0 behind the English, 1 with errors."
    )


def test_list_shows_translations_with_their_readability(runner, pair):
    folder, spanish = pair
    write_translation(folder, "es", "13-stress.md", spanish())
    result = runner.invoke(args=["content", "list", "--lang", "es", str(folder)])

    assert result.exit_code == 0, result.output
    header, row = result.output.splitlines()
    assert header.split() == [
        "order", "slug", "title", "state", "sect", "quiz", "refl", "words", "F-H", "S-P",
    ]
    assert row.split()[:2] == ["13", "stress"] and "in step" in row

    listed = runner.invoke(args=["content", "list", "--lang", "es", "--json", str(folder)])
    first = __import__("json").loads(listed.output)[0]
    assert first["lang"] == "es" and first["state"] == "in step"
    assert first["translated_from"] == first["english_version"] == version_of(
        folder / "13-stress.md")
    assert isinstance(first["fernandez_huerta"], float)


def test_list_refuses_a_language_without_translations(runner, pair):
    folder, _ = pair
    result = runner.invoke(args=["content", "list", "--lang", "fr", str(folder)])
    assert result.exit_code == 2
    assert 'No translations in "fr"; the languages are: es.' in result.output
