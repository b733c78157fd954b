"""Every fixed sentence the Telegram front end says, as catalogue messages, in short plain English.

Users are small importers reading on phones, often in their second language: short sentences,
common words, one idea per line. Each is a `Text` rendered for its reader when it is sent, with
`render_html` where its wording carries Telegram HTML markup (the default parse mode): the markup
lives in the message id, as gettext catalogues do, and every figure (user text among them) is
escaped when it is inserted. Sentences with figures are functions taking them.
"""

from __future__ import annotations

import datetime as dt

from bot.conversation import check as _check
from bot.i18n import Text, _, n_

WELCOME = _(
    "👋 <b>Hello! I'm the Trade Assurance advisor.</b>\n\n"
    "I help Alibaba.com buyers stay protected:\n"
    "• Ask me a question in your own words, like <i>can I pay by Western Union?</i>\n"
    "• /topics shows everything I can explain.\n"
    "• /check tells you, step by step, if your problem can be claimed.\n\n"
    "Type /help to see all commands."
)

HELP = _(
    "<b>What I can do</b>\n\n"
    "Just type your question, like <i>how long do I have to open a dispute?</i>\n\n"
    "/topics – browse all topics\n"
    "/check – check if your claim is covered, step by step\n"
    "/cases – your past checks\n"
    "/glossary – trade words explained (FOB, QC, CE…)\n"
    "/cancel – stop the check\n"
    "/forget – delete everything I store about you\n"
    "/help – this message\n\n"
    "<i>This is advice, not a ruling: Alibaba decides every dispute.</i>"
)

GROUP_HELP = _(
    "<b>I answer questions about Alibaba Trade Assurance.</b>\n"
    "I stay quiet unless you ask me:\n"
    "• /ask <i>your question</i>\n"
    "• mention me, or reply to one of my messages.\n"
    "I also warn once in a while when someone is asked to pay outside Alibaba.\n"
    "For a step-by-step claim check, open a private chat with me: /check"
)

ASK_USAGE = _("Ask me like this: <code>/ask can I pay by Western Union?</code>")

MENU_PROMPT = _("What would you like to do?")

NO_ANSWER = _(
    "Sorry, I don't have a sure answer to that. I know about Alibaba Trade Assurance: what it "
    "covers, paying safely, claims and deadlines.\n\n"
    "Try other words, or pick a topic below."
)
OTHER_PLATFORM = _(
    "That sounds like another marketplace: its own buyer-protection rules apply there, so its "
    "help centre is the place to ask. I cover Alibaba.com Trade Assurance: what it covers, "
    "paying safely, claims and deadlines.\n\n"
    "Ask me about an Alibaba order, or pick a topic below."
)
SMALL_TALK = _("Happy to help! Ask me anything about Trade Assurance, or tap a topic below.")
DID_YOU_MEAN = _("Did you mean one of these?")
WARNING_BRIDGE = _(
    "<i>👇 The answer below holds only for money paid through the Alibaba order.</i>"
)
GLOSSARY_TITLE = _(
    "<b>🔤 Glossary</b>\nTrade words explained. Tap one, or send <code>/glossary FOB</code>."
)


def glossary_unknown(term: str) -> Text:
    """A /glossary word we do not explain (the user's word, escaped when rendered)."""
    return _(
        "I don't have “{term}” in my glossary. These are the words I explain:",
        term=term,
    )


TERMS_NONE = _("No special terms in this answer.")
GROUP_GLOSSARY = _(
    "Ask me about one word, like <code>/glossary FOB</code>, or open the full glossary in a "
    "private chat."
)


def topics_title(page: int, pages: int) -> Text:
    """The /topics header (pages counted from 1)."""
    return _(
        "<b>📚 Topics</b> (page {page} of {pages})\nTap one to read it.", page=page, pages=pages
    )


FEEDBACK_THANKS = _("Thanks for your feedback!")
FEEDBACK_SORRY = _("Thanks. Sorry it didn't help. Try other words, or see /topics.")

EXPIRED = _("This menu has expired.")
EXPIRED_FRESH = _("This menu has expired. Here is a fresh one:")
NOT_YOURS = _("This button is for the person who asked. You can ask me yourself!")
NOT_ADMIN = _("Only group admins can change my settings.")
NOT_ADMIN_TOAST = _("Only group admins can change this.")

EMPTY = _("Type a question about Trade Assurance, or /help to see what I can do.")
EMPTY_IN_CHECK = _("Please type an answer, or choose one of the options.")
NO_WORDS = _("I can only read words and numbers, not emoji or symbols on their own.")
NOT_TEXT = _("I can only read text messages. Please type your question.")
SLOW_DOWN = _("You're sending messages very fast. Please wait a minute, then try again.")
APOLOGY = _("Sorry, something went wrong on my side. Please try again in a moment.")

# --- the guided check -------------------------------------------------------------------------

CHECK_INTRO = _check.CHECK_INTRO
CHECK_RESUMED = _check.CHECK_RESUMED
CHECK_STILL_OPEN = _check.CHECK_STILL_OPEN
CHECK_CANCELLED = _check.CHECK_CANCELLED
NO_CHECK_TO_CANCEL = _check.NO_CHECK_TO_CANCEL
FIRST_QUESTION = _check.FIRST_QUESTION
TAP_AN_OPTION = _check.TAP_AN_OPTION
CHOOSE_ONE_OF = _check.CHOOSE_ONE_OF
REVIEW_HINT = _("Tap <b>See the result</b>, or tap an answer to change it.")
TYPE_ANSWER = _("Type your answer below.")
TAP_ANSWER = _("Tap an answer below.")
TAP_ALL = _("Tap everything you have, then <b>Done</b>.")
AFTER_VERDICT = _("Tap <b>Change an answer</b> to correct something, or ask me a question.")


def reminder_set(due: dt.date, deadline: dt.date | Text) -> Text:
    """The confirmation of a reminder before the claim window closes."""
    return _(
        "⏰ Done. I'll remind you on <b>{due}</b> (the claim window closes on {deadline}).",
        due=due,
        deadline=deadline,
    )


def reminder_set_too_early(due: dt.date) -> Text:
    """The confirmation of a reminder to check whether the goods have shipped."""
    return _(
        "⏰ Done. I'll remind you on <b>{due}</b> to check whether the goods have shipped.",
        due=due,
    )


REMINDER_EXISTS = _("You already have a reminder for this.")
ANSWER_ALREADY_SAVED = _check.ANSWER_ALREADY_SAVED


def superseded(headline: str) -> Text:
    """A /cases line's verdict that a later correction replaced."""
    return _("(replaced by a corrected check) {headline}", headline=headline)


CASES_NONE = _("You have no saved checks yet. Send /check to start one.")
CASES_TITLE = _("<b>Your recent checks</b>")

# --- /forget ------------------------------------------------------------------------------------

FORGET_ASK = _(
    "This deletes everything I store about you: your check in progress, past results, "
    "reminders and feedback. It can't be undone. The bot's backups keep a copy for up to "
    "14 days, then it is gone from them too.\n\nDelete everything?"
)


def forget_done(count: int) -> Text:
    """/forget done: how many records went."""
    return _(
        "Done. I deleted everything I stored about you ({count} records). Copies in the bot's "
        "backups are deleted with them within 14 days.",
        count=count,
    )


FORGET_KEPT = _("OK, nothing was deleted.")

# --- groups -------------------------------------------------------------------------------------

SETTINGS_PRIVATE = _("Settings are for groups. Add me to a group, then send /settings there.")
GROUP_CHECK = _("The claim check is private. Tap below to open it in a chat with me.")


def settings_text(state: Text, cooldown: Text) -> Text:
    """A group's /settings head: the warning's state and its cool-down."""
    return _(
        "<b>Group settings</b>\n"
        "Warnings about paying outside Alibaba: <b>{state}</b>\n"
        "When on, I post at most one warning per {cooldown} when someone talks about paying "
        "outside the order.",
        state=state,
        cooldown=cooldown,
    )


SETTINGS_SEES = _("✅ I can see ordinary messages in this group, so warnings can fire here.")
SETTINGS_BLIND = _(
    "⚠️ I can't see ordinary messages in this group (privacy mode is on and I'm not an admin "
    "here), so warnings can't fire. Fix: make me an admin of this group, or ask my owner to "
    "send /setprivacy to @BotFather, choose Disable, then add me to the group again."
)


def settings_changed(state: Text) -> Text:
    """The toast after an admin switched the warning."""
    return _("Warnings are now {state}.", state=state)


WINDOW_END = _("the end of the window")
"""A reminder's deadline when the assessment has none."""
WARNINGS_ON = _("ON")
WARNINGS_OFF = _("OFF")
SWITCHED_ON = _("on")
SWITCHED_OFF = _("off")
CASES_NEW = _("Send /check to start a new check.")
WHY_READ_MORE = _("📖 Why? Read more")
ASK_PRIVATELY = _("💬 Ask me privately")


def cases_line(number: int, day: dt.date, verdict: str) -> Text:
    """One /cases row: its number, the day of the check and its verdict's headline."""
    return _("{number}. {day} – {verdict}", number=number, day=day, verdict=verdict)


def cases_deadline(deadline: dt.date) -> Text:
    """A /cases row's claim deadline."""
    return _("claim deadline: {deadline}", deadline=deadline)


def terms_in(title: str) -> Text:
    """The head of a topic's glossary entries (the topic's title, escaped when rendered)."""
    return _("<b>🔤 Terms in “{title}”</b>", title=title)


REMINDER_SET_TOAST = _("⏰ Reminder set")


def cooldown(seconds: int) -> Text:
    """3600 -> "hour", 7200 -> "2 hours", 1800 -> "30 minutes" (after "one warning per")."""
    if seconds >= 3600:
        if seconds % 3600:
            return _("{hours} hours", hours=seconds / 3600)  # a fraction: always plural
        hours = seconds // 3600
        return _("hour") if hours == 1 else n_("{n} hour", "{n} hours", hours)
    minutes = max(seconds // 60, 1)
    return _("minute") if minutes == 1 else n_("{n} minute", "{n} minutes", minutes)


FULL_ANSWER = _("📖 Full answer")
INLINE_PRIVATE = _("💬 Ask me in a private chat")
OPEN_CHECK = _("✅ Open the check")
GLOSSARY_LINK = _("🔤 Glossary")
BROWSE_TOPICS = _("📚 Browse topics")
OPEN_PRIVATE_CHAT = _("💬 Open a private chat")
PRIVATE_ONLY = _("That works in a private chat with me.")


def unknown_command(name: str) -> Text:
    """A command the bot does not have (the user's word, escaped when rendered)."""
    return _("I don't know the command {name}. Send /help to see mine.", name=name)


# --- admin replies ------------------------------------------------------------------------------

RELOAD_REFUSED = _(
    "<b>Reload refused</b>: the knowledge base has problems, so the old one stays in service."
)


def no_unanswered(period: str) -> Text:
    """/unanswered with nothing to show for the period."""
    return _("No unanswered questions ({period}).", period=period)


def most_asked(period: str) -> Text:
    """/unanswered's head."""
    return _("<b>Most asked, not answered ({period})</b>", period=period)


def similar(count: int) -> Text:
    """How many other wordings an /unanswered line stands for."""
    return _("<i>(+{count} similar)</i>", count=count)


def and_more(count: int) -> Text:
    """Problems of a refused reload left out of the message."""
    return _("… and {count} more", count=count)


def reloaded(topics: int) -> Text:
    """/reload done."""
    return _("Reloaded: {topics} topics are live.", topics=topics)
