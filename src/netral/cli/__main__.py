from netral.cli import main

main()
