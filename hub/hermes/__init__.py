"""The hub as a Rhasspy 2.5 (Hermes protocol) skill over MQTT.

`client` holds the paho connection, `messages` the Hermes payloads, `skill` the
answers to intents, `speaker` proactive announcements with sayFinished tracking,
`state` the retained hub state and Home Assistant discovery, `rhasspy_export` the
sentences.ini generated from the templates.
"""
