"""``python -m netral.demo`` (what ``make demo`` runs): the tour."""

from netral.demo.tour import main

main()
