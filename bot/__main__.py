"""`python -m bot` is the same as the `ta-advisor` command."""

from bot.cli import main

raise SystemExit(main())
