"""What importers write, mapped onto the words the knowledge base uses.

Data only. Phrases are rewritten before tokenising (so `T/T` and `wire transfer` meet on one
token); word maps fix chat spelling; stop words carry no topic. Negations are kept on purpose:
"what is NOT covered" and "what is covered" are different topics.
"""

from __future__ import annotations

import re

# Each pattern is matched on lower-cased text with punctuation still in place.
PHRASES: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:i\s*am|im|we\s*are|were|as)\s+(?:becoming\s+|going\s+to\s+be\s+)?(?:a|an|the)?\s*(?:(?:chinese|china|vietnamese|indian|"
        r"small|big|large|new|verified|registered|gold|trading|local|export|oem)\s+){0,2}"
        r"(?:manufacturer|supplier|seller|factory|exporter|vendor|company|member)s?\b|"
        r"\bour\s+(?:factory|company|store|shop|products?|customers?|buyers?)\b|"
        r"\bmy\s+(?:store|shop|factory|buyers?)\b|\b(?:seller|supplier)\s+side\b",
        " sellerside ",
    ),
    (
        r"\btrade\s*-?\s*as+u?r[ae]n[cs]e?\b|\btradeassurance\b|\bt\.?a\.?\b(?=\s|$|[?!.,])",
        " tradeassurance ",
    ),
    (r"\b(?:buyer|buyers|order|alibaba)\s+protection\b", " buyerprotection "),
    (r"\bpayment\s+protection\b", " paymentprotection "),
    (
        r"\bwestern\s*union\b|\bwu\b|\bmoney\s*gram\b|\bria\b|\bremitly\b|\bwestren union\b",
        " westernunion ",
    ),
    (r"\bpay\s*pal\b", " paypal "),
    (
        r"\bt\s*/\s*t\b|\btt\b|\btelegraphic\s+transfer\b|\bwire\s+transfer\b|\bbank\s+transfer\b|\bswift\b",
        " wire ",
    ),
    (r"\bbank\s+wire\b|\bwire\s+payment\b", " wire "),
    (r"\be-?check(?:ing)?\b|\bach\b", " echecking "),
    (r"\b(?:credit|debit|visa)\s+cards?\b|\bmastercard\b|\bamex\b", " card "),
    (r"\bq\.?c\b|\bquality\s+control\b|\bqa\b", " inspection "),
    (
        r"\bsgs\b|\bbureau\s+veritas\b|\bintertek\b|\btuv\b|\bqima\b",
        " inspectionagency inspection ",
    ),
    (r"\bthird[\s-]*party\b|\b3rd[\s-]*party\b|\bindependent\b", " thirdparty "),
    (r"\bmoq\b|\bminimum\s+order(?:\s+quantity)?\b|\bmin\s+order\b", " minimumorder "),
    (r"\bfob\b|\bcif\b|\bexw\b|\bddp\b|\bincoterms?\b", " incoterm "),
    (r"\bwhats\s*app\b|\bwe\s*chat\b|\bskype\b|\bviber\b|\bimo\b|\bline app\b", " externalchat "),
    (r"\bgold\s+(?:supplier|member|membership)s?\b", " goldsupplier "),
    (
        r"\bfreight\s+forwarders?\b|\bforwarders?\b|\bshipping\s+agents?\b|\bcargo\s+agents?\b",
        " forwarder ",
    ),
    (
        r"\bsourcing\s+agents?\b|\bbuying\s+agents?\b|\bpurchasing\s+agents?\b|\bmiddlem[ae]n\b",
        " sourcingagent ",
    ),
    (r"\bone\s*touch\b", " onetouch forwarder "),
    (r"\bvessel\b|\bbill\s+of\s+lading\b|\bb/?l\b|\bcontainer\s+number\b", " vessel "),
    (r"\bunbox(?:ing)?\b", " unboxing "),
    (
        r"\bconfirm(?:ed|ing)?\s+(?:the\s+)?(?:receipt|delivery|received|order)\b",
        " confirmreceipt ",
    ),
    (r"\bmoney\s+back\b|\breimburs\w*\b|\bcompensat\w*\b|\bchargeback\b", " refund "),
    (
        r"\b(?:personal|private|own|individual)\s+(?:bank\s+)?(?:account|acc|acct)s?\b|\boffshore\s+(?:bank\s+)?account\b|\boffshore\b",
        " personalaccount ",
    ),
    (r"\bprotection\s+(?:time|period|window)\b|\bclaim\s+(?:time|period)\b", " deadline window "),
    (
        r"\bwhen\s+(?:did|was|were)\b[^.?!]{0,80}\b(?:start\w*|launch\w*|introduc\w*|creat\w*|begin|began)\b",
        " launched ",
    ),
    (
        r"\bexplain\w*\b|\bmeaning\b|\bdefinition\b|\boverview\b|\bbasics\b|\bin\s+simple\s+words\b",
        " overview ",
    ),
    (r"\bdos\s+and\s+don'?ts\b|\bmistakes\b|\bpitfalls\b|\bcommon\s+errors\b", " tips "),
    (r"\btoo\s+late\b|\btime\s+limit\b|\bdeadlines?\b|\bexpir\w*\b|\bmissed\b", " deadline "),
    (r"\bhow\s+long\b|\bhow\s+many\s+days\b|\bhow\s+much\s+time\b", " duration "),
    (r"\bhow\s+much\b", " howmuch "),
    (r"\bin\s+transit\b|\bduring\s+(?:shipping|transport|delivery)\b|\bat\s+sea\b", " transit "),
    (r"\bcustoms?\s+(?:seiz\w*|held|hold|stopp\w*|detain\w*|clearance|delay\w*)\b", " customs "),
    (
        r"\b(?:vs\.?|versus|compared\s+(?:to|with)|or|than)\s+paypal\b|\bpaypal\s+(?:vs\.?|versus|or)\b",
        " paypal comparison ",
    ),
    (
        r"\bnon[\s-]*deliver\w*\b|"
        r"\b(?:not|never|didnt|did\s+not|no)\s+(?:yet\s+)?(?:arriv\w*|reach\w*|came|come|receiv\w*|deliver\w*)\b",
        " nondelivery ",
    ),
)

# Single chat words and common misspellings, applied to whole tokens before stemming.
WORDS: dict[str, str] = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "coz": "because",
    "cuz": "because",
    "bcz": "because",
    "wat": "what",
    "wht": "what",
    "hw": "how",
    "abt": "about",
    "sup": "supplier",
    "supp": "supplier",
    "suplier": "supplier",
    "supplyer": "supplier",
    "vendor": "supplier",
    "vendors": "supplier",
    "seller": "supplier",
    "sellers": "supplier",
    "manufacturer": "supplier",
    "manufacturers": "supplier",
    "factory": "supplier",
    "factories": "supplier",
    "dont": "not",
    "doesnt": "not",
    "isnt": "not",
    "arent": "not",
    "cant": "not",
    "cannot": "not",
    "wont": "not",
    "didnt": "not",
    "wasnt": "not",
    "never": "not",
    "no": "not",
    "nothing": "not",
    "specs": "specification",
    "spec": "specification",
    "specifications": "specification",
    "specs.": "specification",
    "claim": "dispute",
    "claims": "dispute",
    "complaint": "dispute",
    "complain": "dispute",
    "disputes": "dispute",
    "claiming": "dispute",
    "proof": "evidence",
    "prove": "evidence",
    "pics": "photo",
    "pictures": "photo",
    "picture": "photo",
    "photos": "photo",
    "videos": "video",
    "delayed": "late",
    "delay": "late",
    "delays": "late",
    "overdue": "late",
    "lately": "late",
    "broken": "damaged",
    "crushed": "damaged",
    "smashed": "damaged",
    "dented": "damaged",
    "scammer": "scam",
    "scammers": "scam",
    "fraud": "scam",
    "fraudulent": "scam",
    "fake": "scam",
    "cheated": "scam",
    "cheat": "scam",
    "legit": "scam",
    "legitimate": "scam",
    "cap": "limit",
    "maximum": "limit",
    "max": "limit",
    "ceiling": "limit",
    "limits": "limit",
    "fees": "fee",
    "charge": "fee",
    "charges": "fee",
    "commission": "fee",
    "costs": "cost",
    "price": "cost",
    "agreement": "contract",
    "guarantee": "warranty",
    "guaranty": "warranty",
    "advance": "deposit",
    "upfront": "deposit",
    "downpayment": "deposit",
    "remaining": "balance",
    "rest": "balance",
    "msg": "message",
    "msgs": "message",
    "messages": "message",
    "chats": "chat",
    "conversation": "chat",
    "conversations": "chat",
    "email": "externalchat",
    "emails": "externalchat",
    "mail": "externalchat",
    "shipt": "shipped",
    "shiped": "shipped",
    "recieve": "receive",
    "recieved": "received",
    "reciept": "receipt",
    "assurence": "assurance",
    "gurantee": "warranty",
    "qualty": "quality",
    "quantiy": "quantity",
    "qty": "quantity",
    "pcs": "pieces",
    "amt": "amount",
    "brand": "branded",
    "brands": "branded",
    "refunded": "refund",
    # Nigerian Pidgin, common among the importers who write to us
    "wetin": "what",
    "dey": "is",
    "abeg": "please",
    "wan": "want",
    "dem": "they",
    "im": "his",
    "una": "you",
    "sabi": "know",
    "mony": "money",
    "monney": "money",
    "refunds": "refund",
}

REGIONAL_FUNCTION_WORDS = frozenset(
    # Tagalog, in Taglish
    "po opo ba ng ang mga yung ung ko mo niya siya sila kami tayo ako ikaw lang naman kasi mag "
    "nag pano paano ano saan kailan bakit wala meron rin din pa sa si ni kung dito "
    "doon yan ito iyan sana talaga daw raw nga eh diba pwede puwede hindi oo "
    # Hindi-Urdu, in Hindi-English
    "hai hain nahi nahin kya aur bhai ka ki ke mera meri mere kitna kitne kaise kab kyun hota "
    "hoti hoga karna karu karo kar raha rahi mein bhi toh ye yeh wo woh ji yaar koi kuch abhi "
    # Nigerian and Ghanaian Pidgin
    "abeg wetin dey oga wey dem sef sha abi chale sey biko "
    # Swahili and Sheng, in Kenyan English
    "kwa hii hiyo huu bado sasa pia lakini je nini gani vipi sana kama hapa hakuna ndio hapana "
    "naomba tafadhali asante bwana ndugu".split()
)
"""The small words of the languages mixed into the Englishes our importers write (pronouns,
particles, question words, "still", "only", "please"): they say nothing about a topic, and
counted as unknown words they made a clear question look like one the base does not cover
("paano mag file ng dispute"). Written from each language's grammar, not from messages; words
that are also English, Spanish or Portuguese ("na", "ya", "la", "me", "fit") are left out.
Language detection keeps its own, narrower list (`language.py`)."""

ENGLISH_STOP_WORDS = frozenset(
    """
    a an the and or but if then so of to in on at by for from with about into onto over under
    up down out off as is are was were be been being am do does did doing done have has had
    having i me my mine myself we us our ours you your yours he him his she her hers it its they
    them their this that these those there here what how can could would should will shall may
    might must please hi hello hey dear sir madam thanks thank regards ok okay yes yeah also just
    really very much many some any all get got getting go going want wanted know tell let need
    one thing things something someone anyone im ive id youre hes shes theyre thats whats hows
    good bad new now still even again ever too than such like via per use using used alibaba
    alibabacom com question questions help only who which why where whom lot lots
    """.split()
)
STOP_WORDS = ENGLISH_STOP_WORDS | REGIONAL_FUNCTION_WORDS
"""Words that say nothing about which topic is meant (negations are not among them)."""

GREETINGS = frozenset(
    """
    hi hello hey hiya yo hallo hola salam salaam namaste morning evening afternoon thanks thank
    thx ty lol haha hahaha ok okay cool nice great bye goodbye
    """.split()
)
"""Messages made only of these get no answer: they are talk, not questions."""

MONEY = re.compile(
    r"(?:us\s*\$|usd|\$|€|eur|£|gbp|rmb|cny|¥|inr|₹)\s{0,3}\d[\d,.\s]{0,24}(?:k|m)?\b"
    r"|(?<![\d,.])\b\d[\d,.]{0,24}\s{0,3}(?:k|m)?\s{0,3}(?:usd|dollars?|bucks|eur|euros?|rmb|yuan|pounds?)\b"
    r"|(?<![\d,.])\b\d{1,12}(?:[.,]\d{1,6})?\s{0,3}k\b"
)
"""Amounts. Every repetition is bounded and a number is only entered at its first character, so
the cost is linear in the message ("1,1,1,…" once took seconds: unbounded runs backtracked)."""
PERCENT = re.compile(r"(?<![\d,.])\b\d{1,12}(?:[.,]\d{1,6})?\s{0,3}(?:%|percent\b|pct\b)")
SPLIT_PLAN = re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}\b(?!\s*/)")

OTHER_PLATFORMS = re.compile(
    r"\b(?:amazon|a-?to-?z\s+(?:guarantee|claim)|ebay|ali\s?express|temu|shopee|lazada|etsy|shein|"
    r"dh\s?gate|1688|taobao|tmall|pinduoduo|made-in-china|global\s?sources|wish\.com|walmart|"
    r"flipkart|meesho|jumia|jiji|konga|kilimall|tokopedia|coupang|rakuten|mercado\s?li(?:bre|vre)|"
    r"tiktok\s?shop|ozon|wildberries|таобао|тмолл|"
    r"(?:озон|вайлдб[еe]рр?из|валдб[еe]рр?ис|алиэкспресс|али\s?экспресс|амазон|ибе[йя])"
    r"(?:а|у|ом|е|ы|ов|ах|ами|ам|ю|ем|и)?)\b"
)
"""Other marketplaces: questions about their own protection schemes are declined on purpose,
with a pointer to what the bot covers (a signal of the decision, and the reason shown). Names
written in Cyrillic take Russian case endings ("на Озоне", "с Амазона", "ибею")."""
