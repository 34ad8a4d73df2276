"""Chinese text facts shared by the crawlers, the risk model and PII masking; imports nothing of ours.

Every finder reads *folded* text (``zhtext.fold``) and returns spans; ``fold_mapped`` maps a span of the
folded text back to the characters as written, so evidence quotes the original.
"""
