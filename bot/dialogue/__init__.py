"""The guided claim-eligibility check, independent of any chat platform.

`parsers` reads typed answers, `questions` holds the wording, `machine` decides what to ask next
and keeps the whole conversation in one serialisable `CheckState`. Telegram and the terminal
chat are thin front ends over these.
"""
