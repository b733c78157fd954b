"""The words people type for dates, amounts and yes/no in each offered language, as data.

The parsers read every language's words whatever the reader's interface language is ("вчера" can
only mean yesterday, and people switch language mid-conversation); only number formats depend
on the reader's language, because "12.500" is twelve and a half thousand in São Paulo and
ambiguous in London. Month and weekday names come from the CLDR data Babel ships, so they are
the spellings each locale itself uses.
"""

from __future__ import annotations

import re
from functools import cache

from babel.dates import get_day_names, get_month_names

DAY_FIRST_LANGS = frozenset({"ru", "es", "pt"})
"""Languages whose readers write numeric dates day first (19.04.2026, 19/04/26): in them a
numeric date is read day first instead of being asked back."""

DOT_GROUPS_LANGS = frozenset({"ru", "es", "pt"})
"""Languages whose readers group thousands with a dot (or a space) and write decimals with a
comma: "12.500" is twelve thousand five hundred there; "12,500" is the ambiguous one."""

MONTH_LOCALES = ("en", "ru", "es", "pt")


@cache
def month_names() -> dict[str, int]:
    """Every month name and abbreviation (all offered languages, every grammatical form CLDR
    gives: "мая" and "май", "sept" and "set") to its number, lower case, without dots."""
    names: dict[str, int] = {}
    for locale in MONTH_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names[name.lower().rstrip(".")] = number
    names.update({"sept": 9, "сен": 9, "сент": 9, "фев": 2, "ноя": 11, "set": 9, "dic": 12})
    return names


_WEEKDAY_EXTRA = {
    # the accusative Russians type after "в" ("в среду"), and Portuguese without "-feira"
    "среду": 2,
    "пятницу": 4,
    "субботу": 5,
    "воскр": 6,
    "segunda": 0,
    "terça": 1,
    "terca": 1,
    "quarta": 2,
    "quinta": 3,
    "sexta": 4,
    "sabado": 5,
    "miercoles": 2,
}


@cache
def weekday_names() -> dict[str, int]:
    """Weekday names of the offered languages (Monday = 0), as `datetime.weekday` counts."""
    names: dict[str, int] = {}
    for locale in MONTH_LOCALES[1:]:
        for context in ("format", "stand-alone"):
            for number, name in get_day_names("wide", context, locale).items():
                names[name.lower()] = number
    names.update(_WEEKDAY_EXTRA)
    return names


# ----------------------------------------------------------------------------- relative dates
# Each language's way of saying "3 days ago", rewritten to the English form the date grammar
# reads. Multi-word phrases first (longest wins), then single words.

DATE_PHRASES: dict[str, str] = {
    "pasado mañana": "day after tomorrow",
    "pasado manana": "day after tomorrow",
    "depois de amanhã": "day after tomorrow",
    "depois de amanha": "day after tomorrow",
    "antes de ayer": "day before yesterday",
    "antes de ontem": "day before yesterday",
    "dentro de": "in",
    "daqui a": "in",
    "un par de": "a couple of",
    "um par de": "a couple of",
    "пару": "a couple of",
    "на прошлой неделе": "last week",
    "la semana pasada": "last week",
    "semana pasada": "last week",
    "semana passada": "last week",
    "в прошлом месяце": "last month",
    "el mes pasado": "last month",
    "mes pasado": "last month",
    "mês passado": "last month",
    "mes passado": "last month",
    "недавно": "recently",
    "recientemente": "recently",
    "recentemente": "recently",
}

DATE_WORDS: dict[str, str] = {
    # days
    "сегодня": "today",
    "вчера": "yesterday",
    "позавчера": "day before yesterday",
    "завтра": "tomorrow",
    "послезавтра": "day after tomorrow",
    "hoy": "today",
    "ayer": "yesterday",
    "anteayer": "day before yesterday",
    "antier": "day before yesterday",
    "mañana": "tomorrow",
    "manana": "tomorrow",
    "hoje": "today",
    "ontem": "yesterday",
    "anteontem": "day before yesterday",
    "amanhã": "tomorrow",
    "amanha": "tomorrow",
    # units
    "день": "day",
    "дня": "day",
    "дней": "day",
    "дн": "day",
    "сутки": "day",
    "суток": "day",
    "неделя": "week",
    "неделю": "week",
    "недели": "week",
    "недель": "week",
    "нед": "week",
    "месяц": "month",
    "месяца": "month",
    "месяцев": "month",
    "мес": "month",
    "год": "year",
    "года": "year",
    "лет": "year",
    "día": "day",
    "días": "day",
    "dia": "day",
    "dias": "day",
    "semana": "week",
    "semanas": "week",
    "mes": "month",
    "meses": "month",
    "mês": "month",
    "año": "year",
    "años": "year",
    "ano": "year",
    "anos": "year",
    # directions
    "назад": "ago",
    "тому": "",
    "atrás": "ago",
    "atras": "ago",
    "через": "in",
    "спустя": "in",
    # numbers
    "один": "1",
    "одна": "1",
    "одну": "1",
    "одни": "1",
    "два": "2",
    "две": "2",
    "три": "3",
    "четыре": "4",
    "пять": "5",
    "шесть": "6",
    "семь": "7",
    "восемь": "8",
    "девять": "9",
    "десять": "10",
    "un": "1",
    "una": "1",
    "uno": "1",
    "dos": "2",
    "tres": "3",
    "cuatro": "4",
    "cinco": "5",
    "seis": "6",
    "siete": "7",
    "ocho": "8",
    "nueve": "9",
    "diez": "10",
    "um": "1",
    "uma": "1",
    "dois": "2",
    "duas": "2",
    "três": "3",
    "quatro": "4",
    "sete": "7",
    "oito": "8",
    "nove": "9",
    "dez": "10",
    # "last" before or after a weekday
    "прошлый": "last",
    "прошлую": "last",
    "прошлое": "last",
    "прошлой": "last",
    "pasado": "last",
    "pasada": "last",
    "passado": "last",
    "passada": "last",
    "следующий": "next",
    "следующую": "next",
    "próximo": "next",
    "próxima": "next",
    "proximo": "next",
    "proxima": "next",
}

DAY_BEFORE_NUMBER = frozenset({"dia", "día", "день", "числа"})

AGO_FIRST = frozenset({"hace", "há", "ha", "faz"})
"""Words that say "ago" before the amount of time ("hace 3 días", "há 3 dias")."""

IN_FIRST = frozenset({"en", "em"})
"""Words that say "in" before an amount of time ("en 3 días"); elsewhere they are fillers."""

DATE_FILLERS = frozenset(
    "пришло пришел пришёл пришла пришли получил получила получили доставили доставлено было "
    "это примерно около где-то в во г г. гг "
    "llegó llego llegaron recibí recibi fue el la aproximadamente como unos alrededor del de "
    "chegou chegaram recebi foi no na dia o a cerca aproximadamente uns do da de "
    "yes yeah yep да ага sí si sim".split()
)
"""Words around a date in the offered languages ("llegó el 3 de mayo", "19 апреля 2026 г."),
and the "yes" people put before the day when asked "have the goods arrived, and when?"."""


_PHRASES_LONGEST_FIRST = sorted(DATE_PHRASES, key=len, reverse=True)
_UNIT_ALONE = re.compile(r"^(in )?(day|week|month|year)( ago)?$")


def canonical_date(text: str) -> str:
    """`text` with every offered language's date words rewritten to the English grammar's:
    "hace 3 días" → "3 day ago", "через 2 недели" → "in 2 week", "19 de abril" → "19 abril"."""
    for phrase in _PHRASES_LONGEST_FIRST:
        if phrase in text:
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", DATE_PHRASES[phrase], text)
    words = text.split()
    ago = bool(words) and words[0] in AGO_FIRST
    future = bool(words) and words[0] in IN_FIRST and len(words) > 1
    if ago or future:
        words = words[1:]
    # "dia 5 de novembro", "el día 3": a day word before the day's number is not a unit
    words = [
        w
        for i, w in enumerate(words)
        if not (w in DAY_BEFORE_NUMBER and i + 1 < len(words) and words[i + 1].isdigit())
    ]
    mapped = [DATE_WORDS.get(w, w) for w in words]
    mapped = [w for w in mapped if w and w not in DATE_FILLERS]
    if future:
        mapped.insert(0, "in")
    if ago:
        mapped.append("ago")
    canonical = " ".join(" ".join(mapped).split())
    # "неделю назад" / "hace un mes": the unit alone means one of it
    return _UNIT_ALONE.sub(r"\g<1>1 \2\3", canonical)


# ----------------------------------------------------------------------------- amounts

MULTIPLIER_WORDS: dict[str, int] = {
    "тыс": 1_000,
    "тысяч": 1_000,
    "тысячи": 1_000,
    "тысяча": 1_000,
    "тысячу": 1_000,
    "тыщ": 1_000,
    "к": 1_000,
    "млн": 1_000_000,
    "миллион": 1_000_000,
    "миллиона": 1_000_000,
    "миллионов": 1_000_000,
    "mil": 1_000,
    "millón": 1_000_000,
    "millon": 1_000_000,
    "millones": 1_000_000,
    "milhão": 1_000_000,
    "milhao": 1_000_000,
    "milhões": 1_000_000,
    "milhoes": 1_000_000,
}

CURRENCY_WORDS: dict[str, tuple[str, str]] = {
    "долларов": ("USD", "US dollars"),
    "доллара": ("USD", "US dollars"),
    "доллар": ("USD", "US dollars"),
    "долл": ("USD", "US dollars"),
    "баксов": ("USD", "US dollars"),
    "бакса": ("USD", "US dollars"),
    "бакс": ("USD", "US dollars"),
    "dólares": ("USD", "US dollars"),
    "dolares": ("USD", "US dollars"),
    "dólar": ("USD", "US dollars"),
    "dolar": ("USD", "US dollars"),
    "dls": ("USD", "US dollars"),
    "dlls": ("USD", "US dollars"),
    "рублей": ("RUB", "Russian roubles"),
    "рубля": ("RUB", "Russian roubles"),
    "рубль": ("RUB", "Russian roubles"),
    "руб": ("RUB", "Russian roubles"),
    "евро": ("EUR", "euros"),
    "юаней": ("CNY", "Chinese yuan"),
    "юаня": ("CNY", "Chinese yuan"),
    "юань": ("CNY", "Chinese yuan"),
    "тенге": ("KZT", "Kazakh tenge"),
    "гривен": ("UAH", "Ukrainian hryvnia"),
    "гривны": ("UAH", "Ukrainian hryvnia"),
    "yuanes": ("CNY", "Chinese yuan"),
    "reales": ("BRL", "Brazilian reais"),
    "soles": ("PEN", "Peruvian soles"),
    "pen": ("PEN", "Peruvian soles"),
    "ars": ("ARS", "Argentine pesos"),
    "cop": ("COP", "Colombian pesos"),
    "clp": ("CLP", "Chilean pesos"),
}

LOCAL_CURRENCY_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "pt": {"real": ("BRL", "Brazilian reais")},
}
"""Words that name a currency only in one language ("real" is an English adjective)."""

# ----------------------------------------------------------------------------- yes / no

YES_WORDS = frozenset(
    "да ага угу конечно верно точно правильно yes ок окей "
    "sí si claro correcto cierto exacto exactamente vale "
    "sim claro certo isso exato exatamente".split()
)
NO_WORDS = frozenset("нет неа не никогда no nunca jamás tampoco não nao nunca".split())
NOT_YET_PHRASES = (
    "ещё нет",
    "еще нет",
    "пока нет",
    "ещё не",
    "еще не",
    "todavía no",
    "todavia no",
    "aún no",
    "aun no",
    "ainda não",
    "ainda nao",
)
YES_PHRASES = frozenset({"por supuesto", "así es", "com certeza", "é sim", "да, было", "ну да"})

UNKNOWN_PHRASES = frozenset(
    {
        "не знаю",
        "незнаю",
        "я не знаю",
        "хз",
        "не уверен",
        "не уверена",
        "не помню",
        "понятия не имею",
        "no sé",
        "no se",
        "no lo sé",
        "no lo se",
        "yo no lo sé",
        "nose",
        "yo no sé",
        "ni idea",
        "no estoy seguro",
        "no estoy segura",
        "no recuerdo",
        "no me acuerdo",
        "não sei",
        "nao sei",
        "eu não sei",
        "sei lá",
        "sei la",
        "não tenho certeza",
        "nao tenho certeza",
        "não lembro",
        "nao lembro",
        "não me lembro",
    }
)

CONFIRM_WORDS = frozenset(
    "ок окей да готово результат ok listo sí si vale resultado pronto sim certo resultado".split()
)
"""Words that mean "show the result" on the review screen, besides the English ones."""

ZERO_WORDS = frozenset(
    {"ничего", "ноль", "нисколько", "nada", "cero", "nenhum", "nenhuma", "zero", "ничего не платил"}
)

UNIT_WORDS = (
    "шт",
    "штук",
    "штуки",
    "штука",
    "единиц",
    "piezas",
    "pzas",
    "unidades",
    "peças",
    "pecas",
    "unidades",
)
