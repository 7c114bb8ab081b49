"""The simulated home: a fake I2C bus and a fake pump bridge that the real drivers read.

The simulators implement the bus and the byte stream, never the drivers' answers, so
everything between the wire and `hub.core.home.HomeState` is the code that runs on the Pi.
"""
