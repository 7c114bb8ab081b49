"""The hub: an offline voice assistant and home hub for a blinatumomab home infusion."""

__version__ = "0.1.0"
