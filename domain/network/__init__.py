"""The network's part of the year: the coordinator's assessment of each measure, the
compiled needs report (sammenstilt behovsmelding) sent by the network's deadline, and
samarbeidsforum's view across networks. Pure: no bot, no database."""
