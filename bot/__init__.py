"""The Teams edge and composition root: the only package that imports botbuilder."""
