"""Room sensor drivers: temperature, humidity and light, each reading checked before use.

Drivers take their bus (an smbus2 `SMBus`, or `hub.sim.i2c.FakeI2CBus`) as a keyword
argument, so the simulated home drives the same code as the real one.
"""
