"""Domain words in Russian, Spanish and Portuguese, mapped onto the English words of the base.

The word and character signals read English only; the encoder reads every language but ranks
less sharply. This glossary gives the word signal the core vocabulary of the domain (about 80
concepts of Trade Assurance: paying, shipping, disputes, evidence, deadlines, money) in the three
languages the product supports next, so a Russian "спор" and a Spanish "disputa" reach the same
topics as "dispute". It is written from the knowledge base's concepts, not from any test message;
words are matched by their Snowball stem in their own language, so inflections need one entry.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import snowballstemmer

from bot.matching.normalize import MAX_CHARS

_TABLE = """
supplier | ru: поставщик продавец фабрика завод производитель | es: proveedor vendedor fábrica fabricante | pt: fornecedor vendedor fábrica fabricante
buyer | ru: покупатель | es: comprador | pt: comprador
pay | ru: оплатить оплата платить заплатить перевести перевод оплачивать | es: pagar pago pagué pagado transferir | pt: pagar pagamento paguei pago transferir
order | ru: заказ заказал заказать | es: pedido pedí orden | pt: pedido pedi
goods | ru: товар груз посылка продукция | es: mercancía mercadería producto productos carga | pt: mercadoria produto produtos carga
dispute | ru: спор диспут жалоба претензия | es: disputa reclamo reclamar reclamación queja | pt: disputa reclamação reclamar
open | ru: открыть открывать подать | es: abrir abro | pt: abrir abro
refund | ru: возврат вернуть компенсация | es: reembolso devolución devolver | pt: reembolso devolução devolver estorno
money | ru: деньги | es: dinero plata | pt: dinheiro grana
late | ru: задержка опоздание задерживать позже просрочка | es: retraso atraso tarde retrasado | pt: atraso atrasado
ship | ru: отправить отгрузить отгрузка отправка | es: enviar envío enviado embarque despachar | pt: enviar envio enviou embarque despachar
shipping | ru: доставка перевозка | es: transporte flete | pt: transporte frete
arrive | ru: прийти пришел пришёл прибыть доставить | es: llegar llegó llegaron | pt: chegar chegou chegaram
receive | ru: получить получение получил | es: recibir recibí recepción | pt: receber recebi recebimento
confirm | ru: подтвердить подтверждение | es: confirmar | pt: confirmar
damaged | ru: битый разбитый повреждение повреждённый сломанный мокрый смятый | es: roto dañado mojado daño aplastado | pt: quebrado danificado molhado amassado dano
wrong | ru: другой неправильный не тот | es: equivocado diferente distinto otro | pt: errado diferente outro
quality | ru: качество брак бракованный дефект | es: calidad defecto defectuoso | pt: qualidade defeito defeituoso
sample | ru: образец образцы | es: muestra muestras | pt: amostra amostras
customs | ru: таможня растаможка | es: aduana | pt: alfândega receita
inspection | ru: инспекция проверка | es: inspección verificación | pt: inspeção vistoria
contract | ru: контракт договор | es: contrato | pt: contrato
specification | ru: спецификация характеристики | es: especificación especificaciones | pt: especificação especificações
evidence | ru: доказательство доказательства | es: prueba pruebas evidencia | pt: prova provas evidência
photo | ru: фото фотография фотка | es: foto fotos | pt: foto fotos
video | ru: видео | es: video vídeo | pt: vídeo video
deadline | ru: срок сроки | es: plazo | pt: prazo
days | ru: день дня дней | es: día días | pt: dia dias
long | ru: долго сколько | es: cuánto cuanto | pt: quanto quantos
cost | ru: стоит стоимость цена | es: cuesta costo precio | pt: custa custo preço
fee | ru: комиссия сбор плата | es: comisión cargo tarifa | pt: taxa tarifa comissão
covered | ru: покрывает покрытие покрывается | es: cubre cubierto cobertura | pt: cobre coberto cobertura
limit | ru: лимит максимум | es: límite máximo | pt: limite máximo
protected | ru: защита защищен защищён защищать | es: protegido protección proteger | pt: protegido proteção proteger
safe | ru: безопасно надежно | es: seguro | pt: seguro
scam | ru: мошенник развод обман мошенничество | es: estafa fraude estafador | pt: golpe fraude golpista enrolação
fake | ru: подделка поддельный | es: falso falsificado | pt: falso falsificado
reliable | ru: надежный работает | es: confiable sirve | pt: confiável funciona
appeal | ru: обжаловать апелляция оспорить | es: apelar apelación | pt: recorrer recurso
decision | ru: решение решила | es: decisión resolución | pt: decisão
card | ru: карта картой | es: tarjeta | pt: cartão
bank | ru: банк банковский | es: banco bancario | pt: banco bancário
account | ru: счет счёт реквизиты | es: cuenta | pt: conta
personal | ru: личный напрямую | es: personal directo | pt: pessoal direto
outside | ru: вне обход | es: fuera afuera | pt: fora
deposit | ru: предоплата аванс депозит | es: anticipo depósito | pt: sinal entrada
balance | ru: остаток | es: saldo resto | pt: saldo restante
warranty | ru: гарантия | es: garantía | pt: garantia
installation | ru: наладка установка монтаж инженер | es: instalación técnico | pt: instalação técnico
agent | ru: агент посредник | es: agente intermediario | pt: agente intermediário
discount | ru: скидка | es: descuento | pt: desconto
chat | ru: переписка чат | es: chat conversación | pt: conversa chat
missing | ru: не хватает недостача | es: faltan faltante | pt: faltando faltou
silent | ru: молчит пропал | es: contesta responde | pt: sumiu responde
explain | ru: объясните объяснить | es: explicar explica | pt: explicar explica
buy | ru: купить покупка | es: comprar compra | pt: comprar compra
not | ru: не нет | es: no nunca | pt: não nunca
"""
"""One concept per line: the English word of the base, then its words in each language
(space-separated; any inflection of each matches)."""

_STEMMERS = {"ru": "russian", "es": "spanish", "pt": "portuguese"}
_WORD = re.compile(r"[^\W\d_]+")


def _fold(word: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
    ).replace("ё", "е")


@cache
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMERS[lang])


@cache
def _table(lang: str) -> dict[str, str]:
    """Folded stem -> English word, for one language."""
    table: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        english, *columns = (part.strip() for part in line.split("|"))
        for column in columns:
            code, _, words = column.partition(":")
            if code == lang:
                for word in words.split():
                    table.setdefault(_fold(_stemmer(lang).stemWord(word.lower())), english)
    return table


@lru_cache(maxsize=8192)
def _translate_word(word: str, lang: str) -> str:
    return _table(lang).get(_fold(_stemmer(lang).stemWord(word)), word)


def supported(lang: str) -> bool:
    """Whether the glossary covers this language."""
    return lang in _STEMMERS


def to_english(text: str, lang: str) -> str:
    """The message with every glossary word replaced by its English word (others kept)."""
    if lang not in _STEMMERS:
        return text
    return _WORD.sub(lambda m: _translate_word(m.group(0), lang), text[:MAX_CHARS].lower())
