"""Legal facts found in folded text, each as spans a person can check: fees and intermediaries (`fees`), forced
labour and vulnerable recruits (`labour`), agency claims and licences (`agency`), marriage brokering (`marriage`),
and whether a mention is affirmed, denied, warned against or reported (`context`)."""
