"""Whole conversations in Russian, Spanish and Portuguese through the core, the terminal and
Telegram (a user whose phone is set to that language): typed answers in the reader's own words
(relative dates, local amounts, yes/no words) to a verdict in that language, a question answered
from the translated knowledge base, and a message in another language answered in it."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.answering import Advisor
from tests.conversation.test_transcripts import TODAY
from tests.conversation.transcripts import (
    AskRunner,
    CoreRunner,
    Runner,
    Say,
    Step,
    TelegramRunner,
    TerminalRunner,
    play,
)
from tests.telegram.harness import Harness

NBSP = "\u00a0"
"""Russian groups thousands with a no-break space (CLDR)."""

# TODAY is 10 March 2026: "10 days ago" is 28 February, and the typical 30-day window from the
# ship-by date closes on 30 March.
CHECKS: dict[str, Sequence[Step]] = {
    "ru": (
        Say("/check", expect=("Давайте проверим", "Что пошло не так с заказом?")),
        Say("отгрузили с опозданием", expect=("Как вы оплатили этот заказ?",)),
        Say("через алибабу", expect=("как заказ Trade Assurance",)),
        Say("да", expect=("в долларах США",)),
        Say("12,500", expect=(f"Это 12{NBSP}500 или 12,5?",)),
        Say("3 тыс.", expect=("Подтвердить получение",)),
        Say("нет", expect=("До какой даты поставщик должен был отгрузить",)),
        Say("31 февраля", expect=("нет 31-го числа", "До какой даты")),
        Say("10 дней назад", expect=("Товар уже пришёл?",)),
        Say("ещё не пришло", expect=("последний день",)),
        Say("не знаю", expect=("сумма покрытия",)),
        Say("не знаю", expect=("Что из этого у вас есть?",)),
        Say(
            "фото и переписка",
            expect=(
                "Пожалуйста, проверьте свои ответы",
                f"3{NBSP}000",
                "28 февраля 2026",
                "Фото или видео, Переписка в чате Alibaba",
            ),
        ),
        Say("ок", expect=("Можно подать претензию", "30 марта 2026")),
    ),
    "es": (
        Say("/check", expect=("Veamos si Trade Assurance", "¿Qué salió mal con el pedido?")),
        Say("se envió tarde", expect=("¿Cómo pagaste este pedido?",)),
        Say("con tarjeta en alibaba", expect=("pedido con Trade Assurance",)),
        Say("sí", expect=("dólares estadounidenses",)),
        Say("5 mil dólares", expect=("¿Ya tocaste «Confirmar la recepción»",)),
        Say("no", expect=("hasta qué fecha tenía que enviar",)),
        Say("el lunes", expect=("¿El lunes pasado o el próximo?",)),
        Say("hace 10 días", expect=("¿Llegó la mercancía?",)),
        Say("todavía no llega", expect=("último día para abrir una disputa",)),
        Say("no sé", expect=("cobertura",)),
        Say("no sé", expect=("¿Cuáles de estas tienes?",)),
        Say("fotos y chat", expect=("US$5.000", "28 de febrero de 2026")),
        Say("listo", expect=("Puedes reclamar", "30 de marzo de 2026")),
    ),
    "pt": (
        Say("/check", expect=("Vamos ver se o Trade Assurance", "O que deu errado com o pedido?")),
        Say("atrasou o envio", expect=("Como você pagou este pedido?",)),
        Say("pelo pedido na alibaba", expect=("pedido com Trade Assurance",)),
        Say("sim", expect=("dólares americanos",)),
        Say("1.200,50 reais", expect=("reais brasileiros", "dólares americanos")),
        Say("US$ 12.500", expect=("confirmar o recebimento",)),
        Say("não", expect=("Até que data o contrato do pedido dizia",)),
        Say("há 10 dias", expect=("A mercadoria já chegou?",)),
        Say("ainda não chegou", expect=("abrir uma disputa",)),
        Say("não sei", expect=("cobertura",)),
        Say("não sei", expect=("Quais destas você tem?",)),
        Say("fotos e conversa", expect=("US$12.500", "28 de fevereiro de 2026")),
        Say("pronto", expect=("Você pode abrir uma reclamação", "30 de março de 2026")),
    ),
}

QUESTIONS: dict[str, Step] = {
    "ru": Say(
        "Сколько дней есть чтобы открыть спор после доставки?",
        expect=("Сроки для открытия спора", "Источники:"),
        absent=("Sources",),
    ),
    "es": Say(
        "¿Hasta cuándo puedo abrir una disputa después de recibir la mercancía?",
        expect=("Plazos para abrir una disputa", "Fuentes:"),
        absent=("Sources",),
    ),
    "pt": Say(
        "Até quando posso abrir uma disputa depois que a mercadoria chegou?",
        expect=("Prazos para abrir uma disputa", "Fontes:"),
        absent=("Sources",),
    ),
}
LANGS = sorted(CHECKS)


@pytest.mark.parametrize("lang", LANGS)
async def test_core(lang: str, advisor: Advisor) -> None:
    await play(CoreRunner(advisor, TODAY, lang), (QUESTIONS[lang], *CHECKS[lang]))


@pytest.mark.parametrize("lang", LANGS)
async def test_terminal_with_lang(lang: str, advisor: Advisor) -> None:
    await play(TerminalRunner(advisor, TODAY, lang), (QUESTIONS[lang], *CHECKS[lang]))


@pytest.mark.parametrize("lang", LANGS)
async def test_terminal_follows_the_language_typed(lang: str, advisor: Advisor) -> None:
    runner = TerminalRunner(advisor, TODAY, None)
    await play(runner, (QUESTIONS[lang], CHECKS[lang][0]))


@pytest.mark.parametrize("lang", LANGS)
async def test_ask_answers_in_the_question_s_language(lang: str, advisor: Advisor) -> None:
    await play(AskRunner(advisor, None), (QUESTIONS[lang],))


@pytest.mark.parametrize("lang", LANGS)
async def test_telegram_user_with_that_language(lang: str, bot: Harness) -> None:
    runner: Runner = TelegramRunner(bot, bot.emu.create_user(language_code=lang))
    await play(runner, (QUESTIONS[lang], *CHECKS[lang]))


@pytest.mark.parametrize("lang", LANGS)
async def test_telegram_answers_a_message_in_its_own_language(lang: str, bot: Harness) -> None:
    """An English phone, a Russian question: the answer is in Russian; the next English
    question is answered in English again."""
    runner = TelegramRunner(bot, bot.emu.create_user(language_code="en"))
    await play(runner, (QUESTIONS[lang],))
    english = Say(
        "how many days after delivery can I still open a dispute?",
        expect=("Deadlines for opening a dispute",),
    )
    await play(runner, (english,))
