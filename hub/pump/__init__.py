"""Watching the CADD-Solis pump through the bridge board: protocol, classifier, serial link.

The pump has no data port. A bridge board clipped to the backpack samples the
infusion light's colour and listens for alarm beeps, and sends what it saw over USB
serial (`firmware-config/PROTOCOL.md`). The hub, not the bridge, decides what the
light is doing, so the rules live here where they are tested.
"""
