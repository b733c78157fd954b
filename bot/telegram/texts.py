"""Every fixed sentence the bot says, in one place, in short plain English.

Users are small importers reading on phones, often in their second language: short sentences,
common words, one idea per line. These strings are Telegram HTML (the default parse mode), so
they contain no user text; anything user-provided is escaped where it is inserted.
"""

from __future__ import annotations

from bot.conversation import check as _check
from bot.i18n import _
from bot.i18n import render as _render

WELCOME = (
    "👋 <b>Hello! I'm the Trade Assurance advisor.</b>\n\n"
    "I help Alibaba.com buyers stay protected:\n"
    "• Ask me a question in your own words, like <i>can I pay by Western Union?</i>\n"
    "• /topics shows everything I can explain.\n"
    "• /check tells you, step by step, if your problem can be claimed.\n\n"
    "Type /help to see all commands."
)

HELP = (
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

GROUP_HELP = (
    "<b>I answer questions about Alibaba Trade Assurance.</b>\n"
    "I stay quiet unless you ask me:\n"
    "• /ask <i>your question</i>\n"
    "• mention me, or reply to one of my messages.\n"
    "I also warn once in a while when someone is asked to pay outside Alibaba.\n"
    "For a step-by-step claim check, open a private chat with me: /check"
)

ASK_USAGE = "Ask me like this: <code>/ask can I pay by Western Union?</code>"

MENU_PROMPT = "What would you like to do?"

NO_ANSWER = (
    "Sorry, I don't have a sure answer to that. I know about Alibaba Trade Assurance: what it "
    "covers, paying safely, claims and deadlines.\n\n"
    "Try other words, or pick a topic below."
)
OTHER_PLATFORM = (
    "That sounds like another marketplace: its own buyer-protection rules apply there, so its "
    "help centre is the place to ask. I cover Alibaba.com Trade Assurance: what it covers, "
    "paying safely, claims and deadlines.\n\n"
    "Ask me about an Alibaba order, or pick a topic below."
)
SMALL_TALK = "Happy to help! Ask me anything about Trade Assurance, or tap a topic below."
DID_YOU_MEAN = "Did you mean one of these?"
WARNING_BRIDGE = "<i>👇 The answer below holds only for money paid through the Alibaba order.</i>"
GLOSSARY_TITLE = (
    "<b>🔤 Glossary</b>\nTrade words explained. Tap one, or send <code>/glossary FOB</code>."
)
GLOSSARY_UNKNOWN = "I don't have “{term}” in my glossary. These are the words I explain:"
TERMS_NONE = "No special terms in this answer."
GROUP_GLOSSARY = (
    "Ask me about one word, like <code>/glossary FOB</code>, or open the full glossary in a "
    "private chat."
)
TOPICS_TITLE = "<b>📚 Topics</b> (page {page} of {pages})\nTap one to read it."

FEEDBACK_THANKS = "Thanks for your feedback!"
FEEDBACK_SORRY = "Thanks. Sorry it didn't help. Try other words, or see /topics."

EXPIRED = "This menu has expired."
EXPIRED_FRESH = "This menu has expired. Here is a fresh one:"
NOT_YOURS = "This button is for the person who asked. You can ask me yourself!"
NOT_ADMIN = "Only group admins can change my settings."
NOT_ADMIN_TOAST = "Only group admins can change this."

TOO_LONG = (
    "That message is too long ({length} characters). Please keep it under {limit} characters."
)
EMPTY = _render(_("Type a question about Trade Assurance, or /help to see what I can do."))
EMPTY_IN_CHECK = _render(_("Please type an answer, or choose one of the options."))
NO_WORDS = "I can only read words and numbers, not emoji or symbols on their own."
NOT_TEXT = "I can only read text messages. Please type your question."
SLOW_DOWN = "You're sending messages very fast. Please wait a minute, then try again."
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."

# --- the guided check -------------------------------------------------------------------------

CHECK_INTRO = _render(_check.CHECK_INTRO)
CHECK_RESUMED = _render(_check.CHECK_RESUMED)
CHECK_STILL_OPEN = _render(_check.CHECK_STILL_OPEN)
CHECK_CANCELLED = _render(_check.CHECK_CANCELLED)
NO_CHECK_TO_CANCEL = _render(_check.NO_CHECK_TO_CANCEL)
FIRST_QUESTION = _render(_check.FIRST_QUESTION)
TAP_AN_OPTION = _render(_check.TAP_AN_OPTION)
CHOOSE_ONE_OF = _render(_check.CHOOSE_ONE_OF)
REVIEW_HINT = "Tap <b>See the result</b>, or tap an answer to change it."
TYPE_ANSWER = "Type your answer below."
TAP_ANSWER = "Tap an answer below."
TAP_ALL = "Tap everything you have, then <b>Done</b>."
AFTER_VERDICT = "Tap <b>Change an answer</b> to correct something, or ask me a question."
REMINDER_SET = "⏰ Done. I'll remind you on <b>{due}</b> (the claim window closes on {deadline})."
REMINDER_SET_TOO_EARLY = (
    "⏰ Done. I'll remind you on <b>{due}</b> to check whether the goods have shipped."
)
REMINDER_EXISTS = "You already have a reminder for this."
REMINDER_FALLBACK = (
    "⏰ <b>Reminder</b> about your Trade Assurance check. Send /cases to see it, or /check "
    "to run it again."
)
ANSWER_ALREADY_SAVED = _render(_check.ANSWER_ALREADY_SAVED)
REMINDER_TEXT = (
    "⏰ <b>Reminder:</b> the Trade Assurance claim window for your order closes on "
    "<b>{deadline}</b>. If the problem is not solved, open a dispute before then: My Alibaba "
    "&gt; Orders &gt; your order &gt; Open dispute."
)
SUPERSEDED = "(replaced by a corrected check)"
CASES_NONE = "You have no saved checks yet. Send /check to start one."
CASES_TITLE = "<b>Your recent checks</b>"

# --- /forget ------------------------------------------------------------------------------------

FORGET_ASK = (
    "This deletes everything I store about you: your check in progress, past results, "
    "reminders and feedback. It can't be undone. The bot's backups keep a copy for up to "
    "14 days, then it is gone from them too.\n\nDelete everything?"
)
FORGET_DONE = (
    "Done. I deleted everything I stored about you ({count} records). Copies in the bot's "
    "backups are deleted with them within 14 days."
)
FORGET_KEPT = "OK, nothing was deleted."

# --- groups -------------------------------------------------------------------------------------

GROUP_CHECK = "The claim check is private. Tap below to open it in a chat with me."
SETTINGS_TEXT = (
    "<b>Group settings</b>\n"
    "Warnings about paying outside Alibaba: <b>{state}</b>\n"
    "When on, I post at most one warning per {cooldown} when someone talks about paying "
    "outside the order."
)
SETTINGS_SEES = "✅ I can see ordinary messages in this group, so warnings can fire here."
SETTINGS_BLIND = (
    "⚠️ I can't see ordinary messages in this group (privacy mode is on and I'm not an admin "
    "here), so warnings can't fire. Fix: make me an admin of this group, or ask my owner to "
    "send /setprivacy to @BotFather, choose Disable, then add me to the group again."
)
SETTINGS_CHANGED = "Warnings are now {state}."
