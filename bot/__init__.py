"""ta-advisor: Trade Assurance advice for Alibaba.com importers, in Telegram and the terminal."""

__version__ = "0.1.0"
