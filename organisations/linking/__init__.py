"""Entity resolution: listings linked to the organisations behind them."""
