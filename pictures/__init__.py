"""Pictures Kompis draws on the server (the annual wheel), as PNG and SVG bytes.

Pure drawing: data and a day in, image bytes out; no web, no database, no botbuilder.
Drawn with matplotlib's Agg and SVG backends and the DejaVu fonts matplotlib ships, so
nothing is fetched or looked up outside the process when a picture is made.
"""
