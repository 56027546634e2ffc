"""Analysis of a state in a local equal-area CRS (metres), one module per job.

- :mod:`.areas` — km² and population inside zones.
- :mod:`.encirclement` — is a zone cut off, and by whom.
- :mod:`.corridors` — derived status of a route from who holds the ground it crosses.
- :mod:`.sieges` — besieged population range, distance to the nearest open crossing.
"""
