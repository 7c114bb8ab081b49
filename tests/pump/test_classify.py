from hypothesis import given
from hypothesis import strategies as st

from hub.core.home import PumpLight
from hub.pump.classify import SampleColour, WindowRules, classify_window, colour_of, is_beeping

G, A, R, B, O, U = (  # noqa: E741 - one letter per colour keeps the patterns readable
    SampleColour.GREEN,
    SampleColour.AMBER,
    SampleColour.RED,
    SampleColour.BLUE,
    SampleColour.OFF,
    SampleColour.UNCLEAR,
)
RULES = WindowRules()  # 6 s window, flashes <= 1.5 s, gaps <= 3 s, samples <= 400 ms apart


def samples(pattern, *, start_ms=0, end_ms=8000, step_ms=100):
    return [(t, pattern(t)) for t in range(start_ms, end_ms + 1, step_ms)]


def flashing(colour, period_ms=1500, on_ms=300):
    return lambda t: colour if t % period_ms < on_ms else O


def test_sample_colours_from_raw_counts():
    assert colour_of(300, 2000, 500, 2800) is G
    assert colour_of(2000, 1100, 150, 3200) is A
    assert colour_of(2500, 300, 250, 3000) is R
    assert colour_of(200, 500, 2200, 2900) is B
    assert colour_of(20, 25, 18, 60) is O
    assert colour_of(1200, 400, 1300, 2900) is U
    assert colour_of(0, 0, 0, 5000) is O


def test_each_light_state():
    assert classify_window(samples(flashing(G))) is PumpLight.GREEN_BLINKING
    assert classify_window(samples(lambda t: G)) is PumpLight.GREEN_STEADY
    assert classify_window(samples(flashing(A))) is PumpLight.AMBER_BLINKING
    assert classify_window(samples(lambda t: A)) is PumpLight.AMBER_STEADY
    alternating = lambda t: (G if (t // 1500) % 2 == 0 else A) if t % 1500 < 300 else O  # noqa: E731
    assert classify_window(samples(alternating)) is PumpLight.GREEN_AMBER_BLINKING
    assert classify_window(samples(flashing(R))) is PumpLight.RED
    assert classify_window(samples(lambda t: R)) is PumpLight.RED
    assert classify_window(samples(lambda t: B)) is PumpLight.BLUE
    assert classify_window(samples(lambda t: O)) is PumpLight.OFF


def test_no_samples_is_unknown():
    assert classify_window([]) is PumpLight.UNKNOWN


def test_window_not_yet_full_is_unknown():
    # Just after connecting: 5 s of a perfect blink is not a 6 s window.
    assert classify_window(samples(flashing(G), start_ms=1000, end_ms=6000)) is PumpLight.UNKNOWN
    assert classify_window(samples(flashing(G), start_ms=400, end_ms=6000)) is PumpLight.GREEN_BLINKING
    assert classify_window(samples(flashing(G), start_ms=401, end_ms=6001)) is PumpLight.GREEN_BLINKING
    assert classify_window(samples(flashing(G), start_ms=401, end_ms=6000)) is PumpLight.UNKNOWN
    assert classify_window(samples(flashing(G), start_ms=0, end_ms=6000)) is PumpLight.GREEN_BLINKING


def test_gap_at_the_window_edges_is_unknown():
    full = samples(flashing(G), end_ms=10000)
    assert classify_window(full, now_ms=10000) is PumpLight.GREEN_BLINKING
    assert classify_window(full, now_ms=10400) is PumpLight.GREEN_BLINKING  # 400 ms: still allowed
    assert classify_window(full, now_ms=10401) is PumpLight.UNKNOWN  # samples stopped coming
    holed = [(t, c) for t, c in full if not 6000 < t < 6500]
    assert classify_window(holed, now_ms=10000) is PumpLight.UNKNOWN
    assert classify_window(holed, now_ms=12500) is PumpLight.UNKNOWN  # the hole just left... not yet
    assert classify_window(full[:61] + [(t, c) for t, c in full if t > 6000], now_ms=10000) is PumpLight.GREEN_BLINKING


def test_one_flash_in_the_window_is_not_blinking():
    # A light that was on and went out must not look like a blink.
    once = lambda t: G if 5000 <= t < 5300 else O  # noqa: E731
    assert classify_window(samples(once, end_ms=8000)) is PumpLight.UNKNOWN


def test_light_that_stopped_blinking_is_not_green_blinking_for_long():
    stopped_at = 6000
    pattern = lambda t: flashing(G)(t) if t < stopped_at else O  # noqa: E731
    last_flash_end = 4800
    # Still within max_off_ms of the last flash: can still call it blinking.
    assert classify_window(samples(pattern, end_ms=last_flash_end + 3000)) is PumpLight.GREEN_BLINKING
    # Longer than max_off_ms dark: no longer blinking.
    assert classify_window(samples(pattern, end_ms=last_flash_end + 3100)) is PumpLight.UNKNOWN
    assert classify_window(samples(pattern, end_ms=stopped_at + 7000)) is PumpLight.OFF


def test_steady_light_with_a_dropout_is_unknown():
    dropout = lambda t: O if t == 5000 else G  # noqa: E731
    assert classify_window(samples(dropout)) is PumpLight.UNKNOWN


def test_steady_then_blinking_transition_is_unknown():
    pattern = lambda t: G if t < 5000 else flashing(G)(t)  # noqa: E731
    assert classify_window(samples(pattern, end_ms=8000)) is PumpLight.UNKNOWN


def test_flash_longer_than_the_limit_is_not_a_blink():
    assert classify_window(samples(flashing(G, period_ms=3000, on_ms=1600))) is PumpLight.UNKNOWN
    assert classify_window(samples(flashing(G, period_ms=3000, on_ms=1400))) is PumpLight.GREEN_BLINKING


def test_unclear_samples_up_to_the_limit():
    every_tenth = lambda t: U if t % 1000 == 0 else flashing(G)(t)  # noqa: E731
    assert classify_window(samples(every_tenth)) is PumpLight.GREEN_BLINKING
    every_fourth = lambda t: U if t % 400 == 0 else flashing(G)(t)  # noqa: E731
    assert classify_window(samples(every_fourth)) is PumpLight.UNKNOWN


def test_any_red_wins():
    one_red = lambda t: R if t == 7000 else flashing(G)(t)  # noqa: E731
    assert classify_window(samples(one_red)) is PumpLight.RED


def test_red_wins_even_with_missing_data():
    holed = [(t, c) for t, c in samples(lambda t: R if t == 7000 else O) if not 5000 < t < 6000]
    assert classify_window(holed) is PumpLight.RED


def test_red_that_left_the_window_no_longer_counts():
    once = samples(lambda t: R if t == 1000 else O, end_ms=8000)
    assert classify_window(once) is PumpLight.OFF


def test_blue_mixed_with_green_is_unknown():
    mixed = lambda t: B if t % 1500 < 300 and t % 3000 < 1500 else flashing(G)(t)  # noqa: E731
    assert classify_window(samples(mixed)) is PumpLight.UNKNOWN


colours = st.sampled_from(list(SampleColour))


@given(st.lists(st.tuples(st.integers(0, 20000), colours), max_size=200), st.integers(0, 25000))
def test_arbitrary_samples_always_give_a_state(raw, now_ms):
    result = classify_window(sorted(raw), now_ms=now_ms)
    assert isinstance(result, PumpLight)


@given(st.lists(colours, min_size=61, max_size=61), st.integers(0, 60))
def test_green_blinking_needs_two_flashes_and_no_long_dark(colour_list, _):
    timed = [(i * 100, c) for i, c in enumerate(colour_list)]
    if classify_window(timed) is PumpLight.GREEN_BLINKING:
        lit = [c for c in colour_list if c not in (O, U)]
        assert set(lit) == {G}
        flashes = sum(1 for a, b in zip([O] + colour_list, colour_list, strict=False) if b is G and a is not G)
        assert flashes >= 2
        assert U not in colour_list or colour_list.count(U) <= 0.2 * len(colour_list)


@given(st.lists(st.sampled_from([G, O]), min_size=61, max_size=61), st.integers(1, 56))
def test_a_gap_anywhere_makes_it_unknown(colour_list, hole):
    timed = [(i * 100, c) for i, c in enumerate(colour_list)]
    del timed[hole : hole + 4]  # 500 ms without samples
    assert classify_window(timed, now_ms=6000) is PumpLight.UNKNOWN


def test_beeping_rules():
    assert is_beeping([9000], now_ms=10000, listening_since_ms=9500) is True
    assert is_beeping([], now_ms=10000, listening_since_ms=0, hold_ms=10000) is False
    assert is_beeping([], now_ms=10000, listening_since_ms=1, hold_ms=10000) is None  # not listened long enough
    assert is_beeping([], now_ms=10000, listening_since_ms=None) is None
    assert is_beeping([0], now_ms=15000, listening_since_ms=0, hold_ms=15000) is True
    assert is_beeping([0], now_ms=15001, listening_since_ms=0, hold_ms=15000) is False
