"""The MQTT connection: paho in its own thread, QoS 1, reconnect, last will, duplicate filter.

Everything the skill, the speaker and the state publisher send or receive goes through
one `MqttClient`. It hides paho's quirks behind three verbs (`subscribe`, `publish`,
`wait_connected`) so the logic above it never touches a socket.

Why it is shaped this way:
- QoS 1 everywhere: an alarm or a reply must arrive at least once. paho keeps a QoS 1
  message that could not be sent and sends it again after reconnecting, so a broker
  restart loses nothing; duplicates that QoS 1 allows are filtered by id (`SeenIds`).
- A clean session on every connect: what was said to the hub while it was away is
  not delivered late, so an "okay, I heard you" from before an outage can never
  acknowledge an alarm raised after it. Subscriptions are renewed on every connect.
- Retained messages on subscribed topics are old by definition: they are logged and
  dropped, never handled as if just said.
- A handler that raises is logged, never allowed to kill paho's network thread.
- One thread publishes. paho 1.5 deadlocks when one thread publishes while paho's own
  thread publishes from inside a callback (each holds the lock the other wants), so
  `publish` only queues a `Ticket`, and a single outbox thread hands them to paho.
"""

from __future__ import annotations

import logging
import queue
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt

from hub.settings import Mqtt

_LOGGER = logging.getLogger(__name__)

QOS = 1
Handler = Callable[[str, bytes], None]


@dataclass(frozen=True)
class Will:
    """The last will: what the broker publishes (retained) when the hub vanishes."""

    topic: str
    payload: str


class Ticket:
    """One queued message. `withdraw` it to make sure it is never sent late."""

    def __init__(self, topic: str, payload: str | bytes, retain: bool) -> None:
        self.topic = topic
        self.payload = payload
        self.retain = retain
        self.is_withdrawn = False
        self.info: mqtt.MQTTMessageInfo | None = None
        self.lock = threading.Lock()
        self.handed_over = threading.Event()


class SeenIds:
    """A bounded memory of message ids, to drop QoS 1 duplicate deliveries.

    Bounded so a week of messages cannot grow memory; 512 ids is far more than can be
    in flight at once on one home's broker.
    """

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def is_new(self, key: str) -> bool:
        """Return True the first time `key` is seen, False for every repeat."""
        with self._lock:
            if key in self._ids:
                self._ids.move_to_end(key)
                return False
            self._ids[key] = None
            while len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


class _Paho(mqtt.Client):
    """paho's client, telling why a connection attempt failed: paho 1.5's own loop catches
    the error and retries with nothing above debug level, so a broker with its own CA
    never connected and nobody could see why."""

    on_connect_failed: Callable[[OSError], None] | None = None

    def reconnect(self) -> int:
        try:
            return int(super().reconnect())
        except OSError as exc:  # ssl.SSLError included
            if self.on_connect_failed is not None:
                self.on_connect_failed(exc)
            raise


class MqttClient:
    """One paho connection to the broker named in the device settings' `[mqtt]` section."""

    def __init__(self, settings: Mqtt, *, client_id: str, will: Will | None = None,
                 reconnect_max_s: float = 5.0) -> None:
        self.settings = settings
        self._handlers: dict[str, Handler] = {}
        self._connected = threading.Event()
        self._on_connect_hooks: list[Callable[[], None]] = []
        self._paho = _Paho(client_id=client_id, clean_session=True)
        self._paho.on_connect_failed = self._on_connect_failed
        self._last_failure = ""
        self._is_unusable = False
        if settings.username:
            self._paho.username_pw_set(settings.username, settings.password or None)
        if settings.tls:
            self._set_tls(settings)
        if will is not None:
            self._paho.will_set(will.topic, will.payload, qos=QOS, retain=True)
        self._paho.reconnect_delay_set(min_delay=1, max_delay=max(1, int(reconnect_max_s)))
        self._paho.max_queued_messages_set(1000)  # bounded: a week offline cannot fill memory
        self._paho.on_connect = self._on_connect
        self._paho.on_disconnect = self._on_disconnect
        self._paho.on_message = self._on_message
        self._paho.on_subscribe = self._on_subscribe
        self._suback_mid: int | None = None
        self._outbox: queue.Queue[Ticket | None] = queue.Queue()
        self._outbox_thread: threading.Thread | None = None

    def _set_tls(self, settings: Mqtt) -> None:
        """TLS with the broker's certificate checked against `ca_file` (empty: the system's
        authorities), and the hub's own certificate when the broker asks for one."""
        try:
            self._paho.tls_set(ca_certs=settings.ca_file or None, certfile=settings.cert_file or None,
                               keyfile=settings.key_file or None, cert_reqs=ssl.CERT_REQUIRED,
                               tls_version=ssl.PROTOCOL_TLS_CLIENT)
        except (ssl.SSLError, OSError, ValueError) as exc:
            # Not fatal: the hub keeps watching and speaking on its own; every announcement
            # through Rhasspy then goes unconfirmed, which sounds the buzzer.
            _LOGGER.error("MQTT TLS cannot be set up from ca_file %r, cert_file %r, key_file %r: %s; "
                          "not connecting to the broker", settings.ca_file, settings.cert_file,
                          settings.key_file, exc)
            self._is_unusable = True

    # --- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        """Connect in the background; paho keeps reconnecting until `stop`."""
        if self._is_unusable:
            return
        _LOGGER.info("Connecting to MQTT broker %s:%d%s", self.settings.host, self.settings.port,
                     " (TLS)" if self.settings.tls else "")
        self._outbox_thread = threading.Thread(target=self._send_outbox, name="mqtt-outbox", daemon=True)
        self._outbox_thread.start()
        self._paho.connect_async(self.settings.host, self.settings.port, keepalive=30)
        self._paho.loop_start()

    def stop(self, *, last_words: tuple[str, str] | None = None, timeout_s: float = 3.0) -> None:
        """Disconnect cleanly, first publishing `last_words` (topic, payload) retained."""
        deadline = time.monotonic() + timeout_s  # paho 1.5's wait_for_publish has no timeout
        if last_words is not None and self.is_connected:
            ticket = self.publish(last_words[0], last_words[1], retain=True)
            ticket.handed_over.wait(timeout_s)
            while ticket.info is not None and not ticket.info.is_published() and self.is_connected \
                    and time.monotonic() < deadline:
                time.sleep(0.02)
        if self._outbox_thread is not None:
            self._outbox.put(None)
            self._outbox_thread.join(max(0.1, deadline - time.monotonic()))
            self._outbox_thread = None
        self._paho.disconnect()
        self._paho.loop_stop()
        self._connected.clear()

    def __enter__(self) -> MqttClient:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def is_connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout_s: float) -> bool:
        """Block up to `timeout_s` for a connection with its subscriptions confirmed; return whether there is one."""
        return self._connected.wait(timeout_s)

    def on_connect(self, hook: Callable[[], None]) -> None:
        """Call `hook` (in paho's thread) after every (re)connect, once subscriptions are confirmed."""
        self._on_connect_hooks.append(hook)

    # --- messages -------------------------------------------------------------------

    def subscribe(self, topic_filter: str, handler: Handler) -> None:
        """Call `handler(topic, payload)` for each new, non-retained message on `topic_filter`."""
        self._handlers[topic_filter] = handler
        if self.is_connected:
            self._paho.subscribe(topic_filter, qos=QOS)

    def publish(self, topic: str, payload: str | bytes, *, retain: bool = False) -> Ticket:
        """Queue a QoS 1 message; while disconnected, paho holds it and sends it on reconnect.

        Safe from any thread, paho's callbacks included: it never blocks on paho.
        """
        ticket = Ticket(topic, payload, retain)
        self._outbox.put(ticket)
        return ticket

    def _send_outbox(self) -> None:
        while True:
            ticket = self._outbox.get()
            if ticket is None:
                return
            with ticket.lock:
                if not ticket.is_withdrawn:
                    info = self._paho.publish(ticket.topic, ticket.payload, qos=QOS, retain=ticket.retain)
                    ticket.info = info
                    if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
                        _LOGGER.error("Could not queue MQTT message to %s: %s", ticket.topic,
                                      mqtt.error_string(info.rc))
            ticket.handed_over.set()

    def withdraw(self, ticket: Ticket) -> bool:
        """Make sure `ticket` is not sent from now on; return False if the broker already has it.

        paho sends a queued or unacknowledged QoS 1 message again after a reconnect, which
        for an announcement that already timed out would mean saying it late, as if new.
        This reaches into paho 1.5's queue (rhasspy-hermes pins paho-mqtt 1.5.0); on a
        paho without it, nothing is dropped and the log says so.
        """
        with ticket.lock:
            ticket.is_withdrawn = True
            info = ticket.info
        if info is None:
            return True  # never handed to paho
        mid = info.mid
        paho: Any = self._paho
        try:
            with paho._out_message_mutex:
                message = paho._out_messages.pop(mid, None)
                if message is not None and message.state == mqtt.mqtt_ms_wait_for_puback \
                        and paho._inflight_messages > 0:
                    paho._inflight_messages -= 1
        except AttributeError:
            _LOGGER.error("Cannot withdraw MQTT message %d on this paho version; it may be sent late", mid)
            return False
        if message is not None:
            _LOGGER.warning("Withdrew MQTT message %d: never acknowledged by the broker, so never sent late", mid)
        return message is not None

    # --- paho callbacks (paho's thread) ---------------------------------------------

    def _on_connect_failed(self, exc: OSError) -> None:
        """Log why a connection attempt failed (paho itself only retries, silently), once per reason."""
        where = f"{self.settings.host}:{self.settings.port}"
        if isinstance(exc, ssl.SSLError):
            message = (f"TLS with the MQTT broker {where} failed: {exc}. Check [mqtt] ca_file (the authority "
                       "that signed the broker's certificate), the broker's host name, and cert_file/key_file")
        else:
            message = f"Cannot connect to the MQTT broker {where}: {exc}"
        if message != self._last_failure:
            self._last_failure = message
            _LOGGER.error("%s; retrying", message)

    def _on_connect(self, client: mqtt.Client, userdata: object, flags: dict[str, int], rc: int) -> None:
        self._last_failure = ""
        if rc != 0:
            _LOGGER.error("MQTT broker %s:%d refused the connection: %s", self.settings.host,
                          self.settings.port, mqtt.connack_string(rc))
            return
        _LOGGER.info("Connected to MQTT broker %s:%d", self.settings.host, self.settings.port)
        filters = list(self._handlers)
        if not filters:
            self._ready()
            return
        # Ready only once the broker confirms the subscriptions: a say published before
        # sayFinished is subscribed could have its confirmation missed.
        rc_mid = client.subscribe([(topic_filter, QOS) for topic_filter in filters])
        self._suback_mid = rc_mid[1]

    def _on_subscribe(self, client: mqtt.Client, userdata: object, mid: int, granted_qos: tuple[int, ...]) -> None:
        if mid != self._suback_mid:
            return
        self._suback_mid = None
        if any(qos == 0x80 for qos in granted_qos):
            _LOGGER.error("The MQTT broker refused a subscription (%s); check its access rules",
                          ", ".join(self._handlers))
        self._ready()

    def _ready(self) -> None:
        self._connected.set()
        for hook in self._on_connect_hooks:
            try:
                hook()
            except Exception:  # noqa: BLE001 - a hook must not kill the network thread
                _LOGGER.exception("MQTT on-connect hook failed")

    def _on_disconnect(self, client: mqtt.Client, userdata: object, rc: int) -> None:
        self._connected.clear()
        if rc != 0:
            _LOGGER.warning("Lost the MQTT broker %s:%d (rc %d); reconnecting", self.settings.host,
                            self.settings.port, rc)

    def _on_message(self, client: mqtt.Client, userdata: object, message: mqtt.MQTTMessage) -> None:
        topic = message.topic
        if message.retain:
            _LOGGER.warning("Ignored a retained (old) message on %s", topic)
            return
        for topic_filter, handler in list(self._handlers.items()):
            if mqtt.topic_matches_sub(topic_filter, topic):
                try:
                    handler(topic, bytes(message.payload))
                except Exception:  # noqa: BLE001 - malformed input is logged and ignored, never fatal
                    _LOGGER.exception("Handler for %s failed on a message; ignored", topic)
                return
        _LOGGER.debug("No handler for MQTT message on %s", topic)
