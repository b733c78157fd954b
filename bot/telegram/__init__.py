"""The Telegram front end: private chats, groups, inline mode and webhooks over the domain.

Only this package imports `telegram`; the advisor, the guided check and the storage stay
platform-neutral. `app.build_application` wires everything; `run.run` starts it.
"""
