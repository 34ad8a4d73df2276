"""Legal facts found in folded text, each as spans a person can check: fees and intermediaries (`fees`), forced
labour and vulnerable recruits (`labour`), agency claims and licences (`agency`), marriage brokering (`marriage`,
with sums in `sums`, dishonest matchmaking in `matchmaking` and a woman sold in words that avoid a sale's in
`sale`), and whether a mention is affirmed, denied, warned against or reported (`context`)."""
