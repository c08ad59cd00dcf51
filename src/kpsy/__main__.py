from kpsy.cli import main

main()
